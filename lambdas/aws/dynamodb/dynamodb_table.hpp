// The rooms table's definition, one place for everything that creates it: the local mode (against
// dynalite or DynamoDB Local), the integration tests, and the deployment template, whose table
// resource a test checks against create_table_request().
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "dynamodb_client.hpp"

namespace videochat::aws {

// Key and TTL attribute names: the table's schema, shared with the item requests.
inline constexpr std::string_view kPartitionKey = "pk";
inline constexpr std::string_view kSortKey = "sk";
inline constexpr std::string_view kTtlAttribute = "expiresAt";

// CreateTable: string keys pk (HASH) and sk (RANGE), on-demand billing (PAY_PER_REQUEST).
nlohmann::json create_table_request(std::string_view table);
// UpdateTimeToLive: DynamoDB deletes items whose expiresAt (epoch seconds) has passed. A separate
// call because CreateTable cannot enable TTL.
nlohmann::json update_time_to_live_request(std::string_view table);

struct TableSetup {
  bool created = false;       // false when the table already existed
  bool ttl_supported = true;  // dynalite answers UpdateTimeToLive with UnknownOperationException
};

// Creates the table unless it exists, waits until it is ACTIVE (polling DescribeTable within
// `timeout`), and enables TTL. Throws DynamoDbError when it cannot.
TableSetup ensure_table(DynamoDbClient& client, std::string_view table, RetryTiming timing,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace videochat::aws
