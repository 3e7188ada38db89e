// The rooms table's requests and answers, as DynamoDB sees them: keys, expressions, conditions,
// what each asks back, and how items come back into members and rooms (expired ones ignored).
#include "dynamodb_room_requests.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "dynamodb_table.hpp"

namespace {

using nlohmann::json;
using namespace videochat::aws;

const RoomId kRoom{"lobby-1"};
const ConnectionId kAlice{"aliceConnId="};
const ConnectionId kBob{"bobConnIdAA="};
const ConnectionId kCarol{"carolConnId="};

json room_key() {
  return {{"pk", {{"S", "ROOM#lobby-1"}}}, {"sk", {{"S", "ROOM"}}}};
}
json alice_key() {
  return {{"pk", {{"S", "CONN#aliceConnId="}}}, {"sk", {{"S", "CONN"}}}};
}
json n(std::int64_t value) {
  return {{"N", std::to_string(value)}};
}

json room_item(const json& members, std::int64_t expires_at) {
  return {{"pk", {{"S", "ROOM#lobby-1"}}},
          {"sk", {{"S", "ROOM"}}},
          {"members", {{"M", members}}},
          {"expiresAt", n(expires_at)}};
}

}  // namespace

TEST_SUITE("rooms table requests") {
  TEST_CASE("relaying reads the room item with one strongly consistent GetItem") {
    json request = get_room_request("rooms", kRoom);
    CHECK(request == json{{"TableName", "rooms"},
                          {"Key", room_key()},
                          {"ConsistentRead", true},
                          {"ReturnConsumedCapacity", "TOTAL"}});
  }

  TEST_CASE("joining sets the member's expiry in the map, under the capacity condition") {
    json request = add_member_request("rooms", kRoom, kAlice, 1000, 6);
    CHECK(request["Key"] == room_key());
    CHECK(request["UpdateExpression"] == "SET #members.#id = :expires, #ttl = :expires");
    CHECK(request["ConditionExpression"] ==
          "attribute_not_exists(#members) OR size(#members) < :capacity OR "
          "attribute_exists(#members.#id)");
    CHECK(request["ExpressionAttributeNames"] ==
          json{{"#members", "members"}, {"#id", "aliceConnId="}, {"#ttl", "expiresAt"}});
    CHECK(request["ExpressionAttributeValues"] == json{{":expires", n(1000)}, {":capacity", n(6)}});
    CHECK(request["ReturnValues"] == "ALL_OLD");
    CHECK(request["ReturnConsumedCapacity"] == "TOTAL");
  }

  TEST_CASE("creating a room writes the members map only if none exists") {
    json request = create_room_request("rooms", kRoom, kAlice, 1000);
    CHECK(request["UpdateExpression"] == "SET #members = :members, #ttl = :expires");
    CHECK(request["ConditionExpression"] == "attribute_not_exists(#members)");
    CHECK(request["ExpressionAttributeValues"][":members"] ==
          json{{"M", {{"aliceConnId=", n(1000)}}}});
  }

  TEST_CASE("leaving removes the member from an existing room and asks who remains") {
    json request = remove_member_request("rooms", kRoom, kAlice);
    CHECK(request["UpdateExpression"] == "REMOVE #members.#id");
    CHECK(request["ConditionExpression"] == "attribute_exists(#members)");
    CHECK(request["ExpressionAttributeNames"] ==
          json{{"#members", "members"}, {"#id", "aliceConnId="}});
    CHECK(request["ReturnValues"] == "ALL_NEW");
  }

  TEST_CASE("pruning removes each expired entry only if it still holds the expiry read") {
    std::vector<Member> expired = {{kAlice, 10}, {kBob, 20}};
    json request = prune_members_request("rooms", kRoom, expired);
    CHECK(request["UpdateExpression"] == "REMOVE #members.#m0, #members.#m1");
    CHECK(request["ConditionExpression"] == "#members.#m0 = :e0 AND #members.#m1 = :e1");
    CHECK(request["ExpressionAttributeNames"] ==
          json{{"#members", "members"}, {"#m0", "aliceConnId="}, {"#m1", "bobConnIdAA="}});
    CHECK(request["ExpressionAttributeValues"] == json{{":e0", n(10)}, {":e1", n(20)}});
  }

  TEST_CASE("a connection item records connectedAt and its expiry, keeping any room") {
    json request = put_connection_request("rooms", kAlice, 1764091342962, 7800);
    CHECK(request["Key"] == alice_key());
    CHECK(request["UpdateExpression"] == "SET #connectedAt = :connectedAt, #ttl = :expires");
    CHECK(request["ExpressionAttributeValues"] ==
          json{{":connectedAt", n(1764091342962)}, {":expires", n(7800)}});
    CHECK_FALSE(request.contains("ConditionExpression"));
  }

  TEST_CASE("a join points the connection item at the room and asks for the previous one") {
    json request = set_connection_room_request("rooms", kAlice, kRoom, 7800);
    CHECK(request["Key"] == alice_key());
    CHECK(request["UpdateExpression"] == "SET #room = :room, #ttl = :expires");
    CHECK(request["ExpressionAttributeValues"][":room"] == json{{"S", "lobby-1"}});
    CHECK(request["ReturnValues"] == "UPDATED_OLD");
  }

  TEST_CASE("leaving clears the room of a live connection item only") {
    json request = clear_connection_room_request("rooms", kAlice, 500);
    CHECK(request["UpdateExpression"] == "REMOVE #room");
    CHECK(request["ConditionExpression"] == "attribute_exists(#room) AND #ttl > :now");
    CHECK(request["ExpressionAttributeValues"] == json{{":now", n(500)}});
    CHECK(request["ReturnValues"] == "UPDATED_OLD");
  }

  TEST_CASE("forgetting a connection deletes its item and asks for what it held") {
    json request = delete_connection_request("rooms", kAlice);
    CHECK(request == json{{"TableName", "rooms"},
                          {"Key", alice_key()},
                          {"ReturnConsumedCapacity", "TOTAL"},
                          {"ReturnValues", "ALL_OLD"}});
  }
}

TEST_SUITE("rooms table answers") {
  TEST_CASE("members come back ordered by expiry (join order), then id") {
    json item = room_item(
        {{"carolConnId=", n(300)}, {"bobConnIdAA=", n(100)}, {"aliceConnId=", n(100)}}, 300);
    CHECK(parse_members(item) == std::vector<Member>{{kAlice, 100}, {kBob, 100}, {kCarol, 300}});
  }

  TEST_CASE("expired members are neither targets nor members") {
    std::vector<Member> members = {{kAlice, 100}, {kBob, 200}, {kCarol, 300}};
    CHECK(live_members_except(members, kCarol, 150) == std::vector<ConnectionId>{kBob});
    CHECK_FALSE(is_live_member(members, kAlice, 150));
    CHECK(is_live_member(members, kBob, 150));
    CHECK_FALSE(is_live_member(members, kBob, 200));  // expiresAt is the first dead second
  }

  TEST_CASE("an item past its expiresAt is treated as absent, as is no item") {
    CHECK(is_live_item(room_item(json::object(), 100), 99));
    CHECK_FALSE(is_live_item(room_item(json::object(), 100), 100));
    CHECK_FALSE(is_live_item(json(), 0));
  }

  TEST_CASE("a connection item names its room while it lives") {
    json item = {{"room", {{"S", "lobby-1"}}}, {"expiresAt", n(100)}};
    CHECK(parse_connection_room(item, 50) == kRoom);
    CHECK_FALSE(parse_connection_room(item, 100));
    CHECK_FALSE(parse_connection_room({{"expiresAt", n(100)}}, 50));
    CHECK_FALSE(parse_connection_room(json(), 50));
  }

  TEST_CASE("a malformed member or room attribute is a StoreError, not a crash") {
    CHECK_THROWS_AS(parse_members(room_item({{"aliceConnId=", {{"S", "soon"}}}}, 1)),
                    videochat::lambdas::StoreError);
    json list_not_map = room_item(json::object(), 1);
    list_not_map["members"] = {{"L", json::array()}};
    CHECK_THROWS_AS(parse_members(list_not_map), videochat::lambdas::StoreError);
    CHECK_THROWS_AS(parse_connection_room({{"room", {{"N", "1"}}}}, 0),
                    videochat::lambdas::StoreError);
    CHECK_THROWS_AS(is_live_item({{"expiresAt", {{"N", "12abc"}}}}, 0),
                    videochat::lambdas::StoreError);
  }

  TEST_CASE("the document-path ValidationException means the members map is missing") {
    CHECK(is_missing_map_error(
        {400, "ValidationException",
         "The document path provided in the update expression is invalid for update"}));
    CHECK_FALSE(
        is_missing_map_error({400, "ValidationException", "Item size has exceeded the maximum"}));
    CHECK_FALSE(is_missing_map_error({400, "ConditionalCheckFailedException", "document path"}));
  }
}

TEST_SUITE("rooms table definition") {
  TEST_CASE("string keys pk (HASH) and sk (RANGE), billed per request") {
    CHECK(create_table_request("videochat-rooms") ==
          json{{"TableName", "videochat-rooms"},
               {"AttributeDefinitions",
                {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                 {{"AttributeName", "sk"}, {"AttributeType", "S"}}}},
               {"KeySchema",
                {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                 {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
               {"BillingMode", "PAY_PER_REQUEST"}});
  }

  TEST_CASE("TTL is enabled on expiresAt") {
    CHECK(update_time_to_live_request("videochat-rooms") ==
          json{{"TableName", "videochat-rooms"},
               {"TimeToLiveSpecification", {{"AttributeName", "expiresAt"}, {"Enabled", true}}}});
  }
}
