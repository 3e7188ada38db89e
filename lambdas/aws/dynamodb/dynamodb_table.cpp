#include "dynamodb_table.hpp"

namespace videochat::aws {

using nlohmann::json;

json create_table_request(std::string_view table) {
  return {
      {"TableName", table},
      {"AttributeDefinitions",
       json::array({{{"AttributeName", kPartitionKey}, {"AttributeType", "S"}},
                    {{"AttributeName", kSortKey}, {"AttributeType", "S"}}})},
      {"KeySchema", json::array({{{"AttributeName", kPartitionKey}, {"KeyType", "HASH"}},
                                 {{"AttributeName", kSortKey}, {"KeyType", "RANGE"}}})},
      {"BillingMode", "PAY_PER_REQUEST"},
  };
}

json update_time_to_live_request(std::string_view table) {
  return {{"TableName", table},
          {"TimeToLiveSpecification", {{"AttributeName", kTtlAttribute}, {"Enabled", true}}}};
}

namespace {

std::string table_status(DynamoDbClient& client, std::string_view table) {
  json answer = client.call("DescribeTable", {{"TableName", table}});
  const json& status = answer["Table"]["TableStatus"];
  return status.is_string() ? status.get<std::string>() : "";
}

}  // namespace

TableSetup ensure_table(DynamoDbClient& client, std::string_view table, RetryTiming timing,
                        std::chrono::milliseconds timeout) {
  TableSetup setup;
  auto created = client.try_call("CreateTable", create_table_request(table));
  if (auto* error = std::get_if<AwsError>(&created)) {
    if (error->type != "ResourceInUseException") {
      throw DynamoDbError("CreateTable", *error, 1);
    }
  } else {
    setup.created = true;
  }

  const auto deadline = timing.now() + timeout;
  for (;;) {
    std::string status = table_status(client, table);
    if (status == "ACTIVE") break;
    if (timing.now() >= deadline) {
      throw DynamoDbError("DescribeTable",
                          {0, "TableNotActive",
                           "table " + std::string(table) + " is still " + status + " after " +
                               std::to_string(timeout.count()) + " ms"},
                          1);
    }
    timing.sleep(std::chrono::milliseconds(50));
  }

  auto ttl = client.try_call("UpdateTimeToLive", update_time_to_live_request(table));
  if (auto* error = std::get_if<AwsError>(&ttl)) {
    if (error->type == "UnknownOperationException") {
      setup.ttl_supported = false;
    } else if (error->type != "ValidationException" ||
               error->message.find("already enabled") == std::string::npos) {
      throw DynamoDbError("UpdateTimeToLive", *error, 1);
    }
  }
  return setup;
}

}  // namespace videochat::aws
