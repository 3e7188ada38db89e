#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>
#include <nlohmann/json.hpp>

#include "resume_token.hpp"

namespace videochat::local {

namespace {

template <class Number>
bool parse_number(const std::string& text, Number& out, Number min, Number max) {
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

}  // namespace

std::string usage() {
  return R"(Usage: videochat-local [options]
Serves the video chat client and a local API Gateway WebSocket API (signaling) on one port.

  --host ADDR              address to listen on (default 127.0.0.1)
  --port N                 port (default 8080, or $PORT)
  --stage NAME             API stage: WebSocket at ws://HOST:PORT/NAME (default production)
  --web-root DIR           static client files to serve
  --ice-servers JSON       iceServers handed to clients in /config.json (default [], or $ICE_SERVERS)
  --signaling-url URL      signaling URL advertised in /config.json (default: derived from the request)
  --allowed-origin ORIGIN  accept WebSocket connections only from this Origin (repeatable, or comma list)
  --threads N              I/O threads (default: one per core)
  --coalesce-us N          a busy I/O thread wakes at most once per N microseconds and handles
                           everything ready at once; an idle one answers at once (default 500,
                           0 = wake for every event)
  --idle-timeout S         close connections that send nothing for S seconds (default 600)
  --max-lifetime S         close connections after S seconds (default 7200)
  --max-frame-bytes N      largest WebSocket frame accepted (default 32768)
  --max-message-bytes N    largest WebSocket message accepted (default 131072)
  --max-relay-bytes N      largest sendMsgToRoom message relayed (default 65536)
  --ping-interval S        server pings to detect dead peers (default 30)
  --store memory|dynamodb  where rooms live (default memory); dynamodb reads AWS_REGION,
                           VIDEOCHAT_TABLE, AWS_ENDPOINT_URL_DYNAMODB and the AWS credentials
                           from the environment and creates the table if it is missing
  --room-capacity N        participants a room admits (default 6)
  --resume-secret-file PATH
                           the resume tokens' secret (at least 32 bytes; a final newline is
                           ignored); default $VIDEOCHAT_RESUME_SECRET, else 32 random bytes
  --management-credentials KEY_ID:SECRET[:REGION]
                           require SigV4 signatures (service execute-api, region default
                           us-east-1) on the @connections management API, as AWS does
  --lambda PATH.zip        run the Lambda function's zip as AWS does: unpacked, its bootstrap
                           started as child processes that take each route invocation from a
                           local Runtime API; rooms in DynamoDB (implies --store dynamodb)
  --lambda-max-processes N most function processes at once (default 4)
  --lambda-timeout-ms N    an invocation running longer is killed with its process (default 10000)
  --help                   this text
)";
}

std::variant<Options, ShowHelp, std::string> parse_options(
    const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
    const std::string& default_web_root) {
  Options options;
  options.web_root = default_web_root;
  bool store_given = false;
  if (auto it = env.find("PORT"); it != env.end() && !it->second.empty()) {
    if (!parse_number<std::uint16_t>(it->second, options.port, 1, 65535)) {
      return "PORT must be a port number from 1 to 65535, not '" + it->second + "'";
    }
  }
  if (auto it = env.find("ICE_SERVERS"); it != env.end() && !it->second.empty()) {
    options.ice_servers = it->second;
  }
  if (auto it = env.find("VIDEOCHAT_RESUME_SECRET"); it != env.end() && !it->second.empty()) {
    if (it->second.size() < lambdas::kMinResumeSecretBytes) {
      return "VIDEOCHAT_RESUME_SECRET must be at least " +
             std::to_string(lambdas::kMinResumeSecretBytes) + " bytes (it is " +
             std::to_string(it->second.size()) + ")";
    }
    options.resume_secret = it->second;
  }

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") return ShowHelp{};
    static constexpr std::string_view kFlags[] = {
        "--host", "--port", "--stage", "--web-root", "--ice-servers", "--signaling-url",
        "--allowed-origin", "--threads", "--coalesce-us", "--idle-timeout", "--max-lifetime", "--ping-interval",
        "--max-frame-bytes", "--max-message-bytes", "--max-relay-bytes",
        "--management-credentials", "--store", "--room-capacity", "--lambda",
        "--lambda-max-processes", "--lambda-timeout-ms", "--resume-secret-file"};
    if (std::find(std::begin(kFlags), std::end(kFlags), flag) == std::end(kFlags)) {
      return "unknown option " + flag + " (see --help)";
    }
    if (i + 1 >= args.size()) return flag + " needs a value (see --help)";
    const std::string& value = args[++i];
    auto seconds = [&](std::chrono::seconds& out) -> std::string {
      long long n = 0;
      if (!parse_number<long long>(value, n, 1, 365LL * 24 * 3600)) {
        return flag + " takes a number of seconds, not '" + value + "'";
      }
      out = std::chrono::seconds(n);
      return {};
    };
    auto bytes = [&](std::size_t& out) -> std::string {
      if (!parse_number<std::size_t>(value, out, 1, 1u << 30)) {
        return flag + " takes a number of bytes, not '" + value + "'";
      }
      return {};
    };
    std::string error;
    if (flag == "--store") store_given = true;
    if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port") {
      if (!parse_number<std::uint16_t>(value, options.port, 0, 65535)) {
        error = "--port must be a port number from 0 to 65535, not '" + value + "'";
      }
    } else if (flag == "--stage") {
      if (value.empty() || value.find_first_of("/?#@ ") != std::string::npos) {
        error = "--stage must be a plain name such as production";
      }
      options.stage = value;
    } else if (flag == "--web-root") {
      options.web_root = value;
    } else if (flag == "--ice-servers") {
      options.ice_servers = value;
    } else if (flag == "--signaling-url") {
      options.signaling_url = value;
    } else if (flag == "--allowed-origin") {
      for (auto& origin : split_commas(value)) options.allowed_origins.push_back(origin);
    } else if (flag == "--threads") {
      if (!parse_number<unsigned>(value, options.threads, 1, 256)) {
        error = "--threads takes a number from 1 to 256";
      }
    } else if (flag == "--coalesce-us") {
      unsigned micros = 0;
      if (!parse_number<unsigned>(value, micros, 0, 100000)) {
        error = "--coalesce-us takes a number of microseconds from 0 to 100000, not '" + value + "'";
      }
      options.coalesce_window = std::chrono::microseconds(micros);
    } else if (flag == "--idle-timeout") {
      error = seconds(options.idle_timeout);
    } else if (flag == "--max-lifetime") {
      error = seconds(options.max_lifetime);
    } else if (flag == "--ping-interval") {
      error = seconds(options.ping_interval);
    } else if (flag == "--max-frame-bytes") {
      error = bytes(options.max_frame_bytes);
    } else if (flag == "--max-message-bytes") {
      error = bytes(options.max_message_bytes);
    } else if (flag == "--store") {
      if (value == "memory") {
        options.store = StoreKind::Memory;
      } else if (value == "dynamodb") {
        options.store = StoreKind::DynamoDb;
      } else {
        error = "--store takes memory or dynamodb, not '" + value + "'";
      }
    } else if (flag == "--room-capacity") {
      if (!parse_number<std::size_t>(value, options.room_capacity, 2, 1000)) {
        error = "--room-capacity takes a number from 2 to 1000, not '" + value + "'";
      }
    } else if (flag == "--management-credentials") {
      options.management_credentials = parse_management_credentials(value);
      if (!options.management_credentials) {
        error = "--management-credentials takes KEY_ID:SECRET or KEY_ID:SECRET:REGION";
      }
    } else if (flag == "--resume-secret-file") {
      options.resume_secret_file = value;
    } else if (flag == "--max-relay-bytes") {
      error = bytes(options.max_relay_bytes);
    } else if (flag == "--lambda") {
      if (value.empty()) error = "--lambda takes the path of the function's zip";
      options.lambda_zip = value;
    } else if (flag == "--lambda-max-processes") {
      if (!parse_number<std::size_t>(value, options.lambda_max_processes, 1, 64)) {
        error = "--lambda-max-processes takes a number from 1 to 64, not '" + value + "'";
      }
    } else if (flag == "--lambda-timeout-ms") {
      long long ms = 0;
      // Lambda's own bounds: 1 s to 15 minutes (100 ms allowed here, for tests).
      if (!parse_number<long long>(value, ms, 100, 900000)) {
        error = "--lambda-timeout-ms takes milliseconds from 100 to 900000, not '" + value + "'";
      }
      options.lambda_timeout = std::chrono::milliseconds(ms);
    } else {
      error = "unknown option " + flag + " (see --help)";
    }
    if (!error.empty()) return error;
  }

  if (!options.lambda_zip.empty()) {
    // The function keeps its rooms in DynamoDB, as on AWS; the in-memory store lives in this
    // process, where the function's processes cannot reach it.
    if (store_given && options.store != StoreKind::DynamoDb) {
      return "--lambda runs the function on its DynamoDB store; --store memory cannot apply";
    }
    options.store = StoreKind::DynamoDb;
  }

  auto ice = nlohmann::json::parse(options.ice_servers, nullptr, false);
  if (!ice.is_array()) {
    return "--ice-servers / ICE_SERVERS must be a JSON array such as "
           "[{\"urls\":\"stun:stun.example.org:3478\"}]";
  }
  return options;
}

}  // namespace videochat::local
