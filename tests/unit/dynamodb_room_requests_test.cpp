// The rooms table's requests and answers, as DynamoDB sees them: keys, expressions, conditions,
// what each asks back, and how items come back into members and rooms (expired ones ignored).
#include "dynamodb_room_requests.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "dynamodb_table.hpp"

namespace {

using nlohmann::json;
using namespace videochat::aws;
using videochat::lambdas::PeerId;

const RoomId kRoom{"lobby-1"};
const ConnectionId kAlice{"aliceConnId="};
const ConnectionId kBob{"bobConnIdAA="};
const ConnectionId kCarol{"carolConnId="};
const PeerId kPeer{"0123456789abcdef0123456789abcdef"};

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

  TEST_CASE("joining without a peerId sets the member's entry, under the capacity condition") {
    json request = add_member_request("rooms", kRoom, kAlice, {}, "", 1000, 6);
    CHECK(request["Key"] == room_key());
    CHECK(request["UpdateExpression"] == "SET #members.#id = :entry, #ttl = :expires");
    // An open room's gate: no passcode, and unlocked unless the joiner is a member already.
    CHECK(request["ConditionExpression"] ==
          "(attribute_not_exists(#members) OR size(#members) < :capacity OR "
          "attribute_exists(#members.#id)) AND attribute_not_exists(#passcode) AND "
          "(attribute_not_exists(#locked) OR attribute_exists(#members.#id))");
    CHECK(request["ExpressionAttributeNames"] == json{{"#members", "members"},
                                                      {"#id", "aliceConnId="},
                                                      {"#ttl", "expiresAt"},
                                                      {"#passcode", "passcode"},
                                                      {"#locked", "locked"}});
    CHECK(request["ExpressionAttributeValues"] ==
          json{{":entry", {{"M", {{"e", n(1000)}}}}}, {":expires", n(1000)}, {":capacity", n(6)}});
    CHECK(request["ReturnValues"] == "ALL_OLD");
    CHECK(request["ReturnConsumedCapacity"] == "TOTAL");
  }

  TEST_CASE("joining with a peerId also claims it in the index, unless another connection has it") {
    json request = add_member_request("rooms", kRoom, kAlice, {kPeer, "Alice"}, "nonce-a", 1000, 6);
    CHECK(request["UpdateExpression"] ==
          "SET #members.#id = :entry, #ttl = :expires, #peers.#peer = :self");
    CHECK(request["ConditionExpression"] ==
          "(attribute_not_exists(#members) OR size(#members) < :capacity OR "
          "attribute_exists(#members.#id)) AND (attribute_not_exists(#peers.#peer) OR "
          "#peers.#peer = :self) AND attribute_not_exists(#passcode) AND "
          "(attribute_not_exists(#locked) OR attribute_exists(#members.#id))");
    CHECK(request["ExpressionAttributeNames"]["#peer"] == kPeer.value);
    CHECK(request["ExpressionAttributeValues"][":self"] == json{{"S", "aliceConnId="}});
    CHECK(request["ExpressionAttributeValues"][":entry"] == json{{"M",
                                                                  {{"e", n(1000)},
                                                                   {"p", {{"S", kPeer.value}}},
                                                                   {"n", {{"S", "Alice"}}},
                                                                   {"r", {{"S", "nonce-a"}}}}}});
  }

  TEST_CASE("a resume removes the old member and adds the new one in one conditional write") {
    json request = replace_member_request("rooms", kRoom, kAlice, {kPeer, std::nullopt}, kBob,
                                          {"nonce-b", "nonce-a"}, 1000);
    CHECK(request["UpdateExpression"] ==
          "REMOVE #members.#old SET #members.#id = :entry, #peers.#peer = :self, #ttl = :expires");
    CHECK(request["ConditionExpression"] ==
          "attribute_exists(#members.#old) AND #peers.#peer = :old AND "
          "(#members.#old.#nonce = :claimed OR #members.#old.#previous = :claimed)");
    CHECK(request["ExpressionAttributeNames"]["#old"] == kBob.value);
    CHECK(request["ExpressionAttributeNames"]["#nonce"] == "r");
    CHECK(request["ExpressionAttributeNames"]["#previous"] == "q");
    CHECK(request["ExpressionAttributeValues"][":old"] == json{{"S", kBob.value}});
    CHECK(request["ExpressionAttributeValues"][":claimed"] == json{{"S", "nonce-b"}});
    CHECK(request["ExpressionAttributeValues"][":entry"]["M"]["r"] == json{{"S", "nonce-a"}});
    CHECK(request["ExpressionAttributeValues"][":entry"]["M"]["q"] == json{{"S", "nonce-b"}});
    CHECK_FALSE(request["ExpressionAttributeValues"].contains(":capacity"));
    CHECK(request["ReturnValues"] == "ALL_OLD");
  }

  TEST_CASE("a room's maps are made if missing, changing nothing that exists") {
    json request = ensure_room_maps_request("rooms", kRoom, 1000);
    CHECK(request["UpdateExpression"] ==
          "SET #members = if_not_exists(#members, :empty), #peers = if_not_exists(#peers, "
          ":empty), #ttl = if_not_exists(#ttl, :expires)");
    CHECK_FALSE(request.contains("ConditionExpression"));
  }

  TEST_CASE("leaving removes the member from an existing room and asks who was there") {
    json request = remove_member_request("rooms", kRoom, kAlice);
    CHECK(request["UpdateExpression"] == "REMOVE #members.#id");
    CHECK(request["ConditionExpression"] == "attribute_exists(#members)");
    CHECK(request["ExpressionAttributeNames"] ==
          json{{"#members", "members"}, {"#id", "aliceConnId="}});
    CHECK(request["ReturnValues"] == "ALL_OLD");
  }

  TEST_CASE("leaving with a peerId removes its index entry too, only if still the leaver's") {
    json request = remove_member_request("rooms", kRoom, kAlice, kPeer);
    CHECK(request["UpdateExpression"] == "REMOVE #members.#id, #peers.#peer");
    CHECK(request["ConditionExpression"] == "attribute_exists(#members) AND #peers.#peer = :self");
  }

  TEST_CASE("pruning removes each expired entry only if it still holds the expiry read") {
    std::vector<Member> expired = {{kAlice, 10, {}, false}, {kBob, 20, {}, true}};
    std::vector<PeerEntry> stale = {{kPeer, kCarol}};
    json request = prune_members_request("rooms", kRoom, expired, stale);
    CHECK(request["UpdateExpression"] == "REMOVE #members.#m0, #members.#m1, #peers.#p0");
    CHECK(request["ConditionExpression"] ==
          "#members.#m0.#e = :e0 AND #members.#m1 = :e1 AND #peers.#p0 = :c0");
    CHECK(request["ExpressionAttributeNames"] == json{{"#members", "members"},
                                                      {"#m0", "aliceConnId="},
                                                      {"#m1", "bobConnIdAA="},
                                                      {"#e", "e"},
                                                      {"#peers", "peers"},
                                                      {"#p0", kPeer.value}});
    CHECK(request["ExpressionAttributeValues"] ==
          json{{":e0", n(10)}, {":e1", n(20)}, {":c0", {{"S", "carolConnId="}}}});
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
    json request = set_connection_room_request("rooms", kAlice, kRoom, std::nullopt, 7800);
    CHECK(request["Key"] == alice_key());
    CHECK(request["UpdateExpression"] == "SET #room = :room, #ttl = :expires REMOVE #peer");
    CHECK(request["ExpressionAttributeValues"][":room"] == json{{"S", "lobby-1"}});
    CHECK(request["ReturnValues"] == "ALL_OLD");
    json with_peer = set_connection_room_request("rooms", kAlice, kRoom, kPeer, 7800);
    CHECK(with_peer["UpdateExpression"] == "SET #room = :room, #peer = :peer, #ttl = :expires");
    CHECK(with_peer["ExpressionAttributeValues"][":peer"] == json{{"S", kPeer.value}});
  }

  TEST_CASE("leaving clears the room of a live connection item only") {
    json request = clear_connection_room_request("rooms", kAlice, 500);
    CHECK(request["UpdateExpression"] == "REMOVE #room, #peer");
    CHECK(request["ConditionExpression"] == "attribute_exists(#room) AND #ttl > :now");
    CHECK(request["ExpressionAttributeValues"] == json{{":now", n(500)}});
    CHECK(request["ReturnValues"] == "ALL_OLD");
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
    json item = room_item({{"carolConnId=", {{"M", {{"e", n(300)}}}}},
                           {"bobConnIdAA=", {{"M", {{"e", n(100)}}}}},
                           {"aliceConnId=", {{"M", {{"e", n(100)}}}}}},
                          300);
    CHECK(parse_members(item) == std::vector<Member>{{kAlice, 100, {}, false},
                                                     {kBob, 100, {}, false},
                                                     {kCarol, 300, {}, false}});
  }

  TEST_CASE("a member entry carries the profile's peerId and name when it has them") {
    json item =
        room_item({{"aliceConnId=",
                    {{"M", {{"e", n(100)}, {"p", {{"S", kPeer.value}}}, {"n", {{"S", "Al"}}}}}}}},
                  100);
    CHECK(parse_members(item) == std::vector<Member>{{kAlice, 100, {kPeer, "Al"}, false}});
  }

  TEST_CASE("an entry written before protocol v2 (just the expiry) is a member without a profile") {
    json item = room_item({{"aliceConnId=", n(100)}}, 100);
    CHECK(parse_members(item) == std::vector<Member>{{kAlice, 100, {}, true}});
  }

  TEST_CASE("index entries no live member backs are stale") {
    std::vector<Member> members = {{kAlice, 100, {kPeer, std::nullopt}, false},
                                   {kBob, 300, {}, false}};
    const PeerId other{"ffffffffffffffffffffffffffffffff"};
    std::vector<PeerEntry> peers = {{kPeer, kAlice}, {other, kBob}, {PeerId{"0"}, kCarol}};
    CHECK(stale_peer_entries(peers, members, 50) ==
          std::vector<PeerEntry>{{other, kBob}, {PeerId{"0"}, kCarol}});
    CHECK(stale_peer_entries(peers, members, 100).size() == 3);  // Alice expired
  }

  TEST_CASE("expired members are neither targets nor members") {
    std::vector<Member> members = {
        {kAlice, 100, {}, false}, {kBob, 200, {}, false}, {kCarol, 300, {}, false}};
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

  TEST_CASE("a connection item names its room and peerId while it lives") {
    json item = {{"room", {{"S", "lobby-1"}}}, {"expiresAt", n(100)}};
    REQUIRE(parse_connection_place(item, 50));
    CHECK(parse_connection_place(item, 50)->room == kRoom);
    CHECK_FALSE(parse_connection_place(item, 50)->peer);
    item["peerId"] = {{"S", kPeer.value}};
    CHECK(parse_connection_place(item, 50)->peer == kPeer);
    CHECK_FALSE(parse_connection_place(item, 100));
    CHECK_FALSE(parse_connection_place({{"expiresAt", n(100)}}, 50));
    CHECK_FALSE(parse_connection_place(json(), 50));
  }

  TEST_CASE("a malformed member or room attribute is a StoreError, not a crash") {
    CHECK_THROWS_AS(parse_members(room_item({{"aliceConnId=", {{"S", "soon"}}}}, 1)),
                    videochat::lambdas::StoreError);
    json list_not_map = room_item(json::object(), 1);
    list_not_map["members"] = {{"L", json::array()}};
    CHECK_THROWS_AS(parse_members(list_not_map), videochat::lambdas::StoreError);
    CHECK_THROWS_AS(parse_connection_place({{"room", {{"N", "1"}}}}, 0),
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
