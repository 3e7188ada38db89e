// videochat-connections: the handlers' own @connections client (ManagementApiClient: SigV4 over
// the Beast transport) from the command line, so the integration tests can prove it against a real
// videochat-local that demands signatures.
//
//   videochat-connections post   --endpoint URL --connection ID --data TEXT
//   videochat-connections delete --endpoint URL --connection ID
//   videochat-connections relay  --endpoint URL --room ROOM --from ID --to ID [--to ID...]
//                                --message TEXT
//
// URL is "http://127.0.0.1:PORT/production". Credentials and region come from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN if set) and AWS_REGION, as on Lambda.
//
// post and delete print ok, gone or failed and exit 0, 3 or 4. relay runs the route handlers
// themselves (lambdas::dispatch, an in-memory room store, this client as their ConnectionsApi):
// $connect and joinRoom for every --to, then for --from, then --from's sendMsgToRoom; it prints
// ok and exits 0 when every route answered 2xx, failed and 4 otherwise. The handlers' JSON log
// lines and the client's errors go to stderr. Exit 2: a usage error.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "beast_transport.hpp"
#include "logger.hpp"
#include "management_api_client.hpp"
#include "memory_room_store.hpp"
#include "route_handlers.hpp"
#include "route_log.hpp"
#include "sigv4_request_signer.hpp"

namespace {

using namespace videochat;
using lambdas::PostResult;
using protocol::ConnectionId;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitGone = 3;
constexpr int kExitFailed = 4;

constexpr std::string_view kUsage =
    "usage: videochat-connections post   --endpoint URL --connection ID --data TEXT\n"
    "       videochat-connections delete --endpoint URL --connection ID\n"
    "       videochat-connections relay  --endpoint URL --room ROOM --from ID --to ID "
    "[--to ID...] --message TEXT\n"
    "with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION in the environment\n";

class UsageError final : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The command line as flags to values (--to may repeat); an unknown or valueless flag is an error.
struct Arguments {
  std::string command;
  std::map<std::string, std::vector<std::string>, std::less<>> flags;

  std::string one(std::string_view flag) const {
    auto it = flags.find(flag);
    if (it == flags.end() || it->second.empty()) {
      throw UsageError(std::string(flag) + " is required");
    }
    if (it->second.size() > 1) throw UsageError(std::string(flag) + " is given more than once");
    if (it->second.front().empty()) throw UsageError(std::string(flag) + " must not be empty");
    return it->second.front();
  }
};

Arguments parse_arguments(int argc, char** argv, const std::vector<std::string_view>& known) {
  if (argc < 2) throw UsageError("no command");
  Arguments arguments{argv[1], {}};
  for (int i = 2; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (std::find(known.begin(), known.end(), flag) == known.end()) {
      throw UsageError("unknown option " + std::string(flag) + " for " + arguments.command);
    }
    if (i + 1 >= argc) throw UsageError(std::string(flag) + " needs a value");
    arguments.flags[std::string(flag)].push_back(argv[++i]);
  }
  return arguments;
}

std::string required_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw UsageError(std::string(name) + " is not set");
  return value;
}

aws::SigV4RequestSigner signer_from_environment() {
  aws::Credentials credentials{required_environment("AWS_ACCESS_KEY_ID"),
                               required_environment("AWS_SECRET_ACCESS_KEY"), std::nullopt};
  if (const char* token = std::getenv("AWS_SESSION_TOKEN"); token != nullptr && *token != '\0') {
    credentials.session_token = token;
  }
  return {std::move(credentials), required_environment("AWS_REGION"), "execute-api"};
}

int exit_status(PostResult result) {
  switch (result) {
    case PostResult::Ok:
      return kExitOk;
    case PostResult::Gone:
      return kExitGone;
    case PostResult::Failed:
      return kExitFailed;
  }
  return kExitFailed;
}

// A MESSAGE event as API Gateway would deliver `body` from `sender` (the fields the handlers read).
lambdas::WebSocketEvent message_event(const ConnectionId& sender, const std::string& body) {
  lambdas::WebSocketEvent event;
  event.body = body;
  event.request_context.event_type = lambdas::EventType::Message;
  event.request_context.route_key = std::string(lambdas::select_route(body));
  event.request_context.connection_id = sender;
  return event;
}

lambdas::WebSocketEvent connect_event(const ConnectionId& connection) {
  lambdas::WebSocketEvent event;
  event.request_context.event_type = lambdas::EventType::Connect;
  event.request_context.route_key = std::string(lambdas::kRouteConnect);
  event.request_context.connection_id = connection;
  return event;
}

int relay(const Arguments& arguments, lambdas::ConnectionsApi& connections) {
  auto room = protocol::parse_room_id(arguments.one("--room"));
  if (!room) throw UsageError("--room must be 1 to 64 characters of A-Z a-z 0-9 _ -");
  const ConnectionId sender{arguments.one("--from")};
  const std::string message = arguments.one("--message");
  auto to = arguments.flags.find("--to");
  if (to == arguments.flags.end()) throw UsageError("--to is required");

  lambdas::MemoryRoomStore store;
  lambdas::StreamLogger log(std::cerr);
  const lambdas::HandlerConfig config;
  lambdas::HandlerServices services{store, connections, log, config};

  std::vector<lambdas::WebSocketEvent> events;
  std::vector<ConnectionId> members;
  for (const auto& id : to->second) members.push_back(ConnectionId{id});
  members.push_back(sender);  // last, so every target hears of it
  const std::string join = protocol::to_text(protocol::JoinRoom{*room, {}, std::nullopt});
  for (const auto& member : members) {
    events.push_back(connect_event(member));
    events.push_back(message_event(member, join));
  }
  events.push_back(message_event(
      sender, protocol::to_text(protocol::SendMsgToRoom{*room, message, std::nullopt})));

  bool all_ok = true;
  for (const auto& event : events) {
    lambdas::HandlerResponse response = lambdas::dispatch(event, services);
    std::optional<std::string_view> error;
    if (response.body) error = *response.body;
    lambdas::write_route_line(log, {event.request_context.route_key,
                                    event.request_context.connection_id.value,
                                    response.status_code, std::nullopt, {}, error});
    all_ok = all_ok && response.status_code >= 200 && response.status_code < 300;
  }
  std::cout << (all_ok ? "ok" : "failed") << '\n';
  return all_ok ? kExitOk : kExitFailed;
}

int run(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  std::vector<std::string_view> known = {"--endpoint"};
  if (command == "post") {
    known.insert(known.end(), {"--connection", "--data"});
  } else if (command == "delete") {
    known.insert(known.end(), {"--connection"});
  } else if (command == "relay") {
    known.insert(known.end(), {"--room", "--from", "--to", "--message"});
  } else {
    throw UsageError(command.empty() ? "no command" : "unknown command " + command);
  }
  const Arguments arguments = parse_arguments(argc, argv, known);
  std::string endpoint = arguments.one("--endpoint");
  if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
    throw UsageError("--endpoint must be an http:// or https:// URL");
  }
  while (endpoint.ends_with('/')) endpoint.pop_back();

  aws::SigV4RequestSigner signer = signer_from_environment();
  aws::http::BeastTransport transport;
  aws::ManagementApiClient client(
      transport, signer, endpoint, std::chrono::milliseconds(3000),
      [](const std::string& what, int status, const std::string& detail) {
        std::cerr << nlohmann::json{{"event", "management_api"},
                                    {"call", what},
                                    {"status", status},
                                    {"detail", detail}}
                         .dump()
                  << '\n';
      });

  if (command == "relay") return relay(arguments, client);
  const ConnectionId connection{arguments.one("--connection")};
  PostResult result = command == "post" ? client.post(connection, arguments.one("--data"))
                                        : client.disconnect(connection);
  std::cout << lambdas::to_string(result) << '\n';
  return exit_status(result);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << "videochat-connections: " << error.what() << '\n' << kUsage;
    return kExitUsage;
  } catch (const std::exception& error) {
    // A request that cannot even be made (signing refused, the URL unusable) fails like any other.
    std::cerr << "videochat-connections: " << error.what() << '\n';
    std::cout << "failed\n";
    return kExitFailed;
  }
}
