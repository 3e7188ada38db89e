#include "options.hpp"

#include <algorithm>
#include <utility>
#include <charconv>
#include <iterator>
#include <string_view>
#include <nlohmann/json.hpp>

#include "comma_list.hpp"
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

// Every flag once: its value's name, the environment variable that also sets it, its default, what
// it means (plain text; `code` in backticks), and how it is read. --help and the table in
// docs/local-stack.md are made from this list (options_test checks the doc).
// The help text's default for --resume-token-lifetime.
static_assert(lambdas::kDefaultResumeTokenLifetime == std::chrono::seconds(7800));

struct Flag {
  std::string_view name;
  std::string_view value;
  std::string_view env;
  std::string_view default_text;
  std::string_view meaning;
  std::string (*apply)(const std::string& flag, const std::string& value, Options& options);
};

std::string seconds(const std::string& flag, const std::string& value, std::chrono::seconds& out) {
  long long n = 0;
  if (!parse_number<long long>(value, n, 1, 365LL * 24 * 3600)) {
    return flag + " takes a number of seconds, not '" + value + "'";
  }
  out = std::chrono::seconds(n);
  return {};
}

std::string bytes(const std::string& flag, const std::string& value, std::size_t& out) {
  if (!parse_number<std::size_t>(value, out, 1, 1u << 30)) {
    return flag + " takes a number of bytes, not '" + value + "'";
  }
  return {};
}

// A count that may be zero (no limit) unless `min` says otherwise; `what` names the unit.
std::string count(const std::string& flag, const std::string& value, std::size_t& out,
                  std::size_t min, const char* what) {
  if (!parse_number<std::size_t>(value, out, min, std::size_t{1} << 30)) {
    return flag + " takes a number of " + what + ", not '" + value + "'";
  }
  return {};
}

std::string apply_port(const std::string&, const std::string& value, Options& options) {
  if (!parse_number<std::uint16_t>(value, options.port, 0, 65535)) {
    return "--port must be a port number from 0 to 65535, not '" + value + "'";
  }
  return {};
}

std::string apply_stage(const std::string&, const std::string& value, Options& options) {
  if (value.empty() || value.find_first_of("/?#@ ") != std::string::npos) {
    return "--stage must be a plain name such as production";
  }
  options.stage = value;
  return {};
}

std::string apply_threads(const std::string&, const std::string& value, Options& options) {
  if (!parse_number<unsigned>(value, options.threads, 1, 256)) {
    return "--threads takes a number from 1 to 256";
  }
  return {};
}

std::string apply_coalesce(const std::string&, const std::string& value, Options& options) {
  unsigned micros = 0;
  if (!parse_number<unsigned>(value, micros, 0, 100000)) {
    return "--coalesce-us takes a number of microseconds from 0 to 100000, not '" + value + "'";
  }
  options.coalesce_window = std::chrono::microseconds(micros);
  return {};
}

std::string apply_store(const std::string&, const std::string& value, Options& options) {
  if (value == "memory") {
    options.store = StoreKind::Memory;
  } else if (value == "dynamodb") {
    options.store = StoreKind::DynamoDb;
  } else {
    return "--store takes memory or dynamodb, not '" + value + "'";
  }
  options.store_given = true;
  return {};
}

std::string apply_room_capacity(const std::string&, const std::string& value, Options& options) {
  if (!parse_number<std::size_t>(value, options.room_capacity, 2, 1000)) {
    return "--room-capacity takes a number from 2 to 1000, not '" + value + "'";
  }
  return {};
}

std::string apply_credentials(const std::string&, const std::string& value, Options& options) {
  options.management_credentials = parse_management_credentials(value);
  if (!options.management_credentials) {
    return "--management-credentials takes KEY_ID:SECRET or KEY_ID:SECRET:REGION";
  }
  return {};
}

std::string apply_lambda(const std::string&, const std::string& value, Options& options) {
  if (value.empty()) return "--lambda takes the path of the function's zip";
  options.lambda_zip = value;
  return {};
}

std::string apply_lambda_processes(const std::string&, const std::string& value,
                                   Options& options) {
  if (!parse_number<std::size_t>(value, options.lambda_max_processes, 1, 64)) {
    return "--lambda-max-processes takes a number from 1 to 64, not '" + value + "'";
  }
  return {};
}

std::string apply_lambda_timeout(const std::string&, const std::string& value, Options& options) {
  long long ms = 0;
  // Lambda's own bounds: 1 s to 15 minutes (100 ms allowed here, for tests).
  if (!parse_number<long long>(value, ms, 100, 900000)) {
    return "--lambda-timeout-ms takes milliseconds from 100 to 900000, not '" + value + "'";
  }
  options.lambda_timeout = std::chrono::milliseconds(ms);
  return {};
}

const Flag kFlags[] = {
    {"--host", "ADDR", "", "127.0.0.1", "address to listen on (`0.0.0.0` to reach it from other machines)",
     [](const std::string&, const std::string& v, Options& o) { o.host = v; return std::string(); }},
    {"--port", "N", "PORT", "8080", "port; `0` picks a free one (the `listening` log line tells which)",
     apply_port},
    {"--stage", "NAME", "", "production", "the WebSocket API is at `ws://HOST:PORT/NAME` (`wss://` with `--tls-cert`)",
     apply_stage},
    {"--web-root", "DIR", "", "build/site",
     "static client files (the wasm build puts the client, `shell/` and `web/` there)",
     [](const std::string&, const std::string& v, Options& o) { o.web_root = v; return std::string(); }},
    {"--ice-servers", "JSON", "ICE_SERVERS", "[]", "`iceServers` handed to clients in `/config.json`",
     [](const std::string&, const std::string& v, Options& o) { o.ice_servers = v; return std::string(); }},
    {"--ice-transport-policy", "all|relay", "", "all",
     "`relay` has `/config.json` tell pages to use relayed candidates only (`iceTransportPolicy`): "
     "calls then go through the TURN relay or not at all, which proves it works",
     [](const std::string& flag, const std::string& v, Options& o) {
       if (v != "all" && v != "relay") return flag + " takes all or relay, not '" + v + "'";
       o.relay_only = v == "relay";
       return std::string();
     }},
    {"--signaling-url", "URL", "", "from the request", "signaling URL advertised in `/config.json`",
     [](const std::string&, const std::string& v, Options& o) { o.signaling_url = v; return std::string(); }},
    {"--tls-cert", "PATH", "", "none",
     "serve HTTPS and WSS on the port, TLS 1.3 only, with this PEM certificate chain (needs "
     "`--tls-key`); `/config.json` then advertises `wss://`. A certificate for your LAN address "
     "lets a phone join (see docs/tls.md)",
     [](const std::string& f, const std::string& v, Options& o) {
       if (v.empty()) return f + " takes the path of a PEM certificate chain";
       o.tls_cert_file = v;
       return std::string();
     }},
    {"--tls-key", "PATH", "", "none", "the certificate's PEM private key (keep it readable by you only)",
     [](const std::string& f, const std::string& v, Options& o) {
       if (v.empty()) return f + " takes the path of a PEM private key";
       o.tls_key_file = v;
       return std::string();
     }},
    {"--allowed-origin", "ORIGIN", "", "this server's own",
     "pages of other origins that may open WebSockets, e.g. a site embedding the widget "
     "(repeat, or comma list; `*` for any page)",
     [](const std::string&, const std::string& v, Options& o) {
       for (auto& origin : comma_list(v)) o.allowed_origins.push_back(origin);
       return std::string();
     }},
    {"--frame-ancestors", "SOURCES", "", "*",
     "who may put the page in a frame (the CSP's `frame-ancestors`, e.g. `'self' "
     "https://example.com`; `'none'` forbids it); the static files are served with "
     "`Access-Control-Allow-Origin: *`, so `<video-chat>` loads inline on any site (its "
     "WebSockets need the site in `--allowed-origin`)",
     [](const std::string& flag, const std::string& v, Options& o) {
       if (v.empty() || v.find_first_of(";,\r\n") != std::string::npos) {
         return flag + " takes CSP sources separated by spaces, not '" + v + "'";
       }
       o.frame_ancestors = v;
       return std::string();
     }},
    {"--threads", "N", "", "one per core", "I/O threads", apply_threads},
    {"--coalesce-us", "N", "", "500",
     "interrupt moderation: a busy I/O thread takes everything ready at most once per N µs instead "
     "of waking for each message (an idle one answers at once); trades up to N µs of latency under "
     "load for CPU (see docs/benchmark.md); `0` turns it off",
     apply_coalesce},
    {"--idle-timeout", "S", "", "600", "close connections that send no message for S seconds (1001)",
     [](const std::string& f, const std::string& v, Options& o) { return seconds(f, v, o.idle_timeout); }},
    {"--max-lifetime", "S", "", "7200", "close connections older than S seconds (1001)",
     [](const std::string& f, const std::string& v, Options& o) { return seconds(f, v, o.max_lifetime); }},
    {"--max-frame-bytes", "N", "", "32768", "largest WebSocket frame a client may send (1009)",
     [](const std::string& f, const std::string& v, Options& o) { return bytes(f, v, o.max_frame_bytes); }},
    {"--max-message-bytes", "N", "", "131072", "largest WebSocket message a client may send (1009)",
     [](const std::string& f, const std::string& v, Options& o) { return bytes(f, v, o.max_message_bytes); }},
    {"--max-relay-bytes", "N", "", "65536", "largest `message` that `sendMsgToRoom` relays",
     [](const std::string& f, const std::string& v, Options& o) { return bytes(f, v, o.max_relay_bytes); }},
    {"--ping-interval", "S", "", "30",
     "server pings after S seconds of silence; a peer silent for 2×S is dropped",
     [](const std::string& f, const std::string& v, Options& o) { return seconds(f, v, o.ping_interval); }},
    {"--max-connections", "N", "", "the descriptor limit less 64",
     "TCP connections held at once; the next is answered `503` and closed (its log line, "
     "`connection_refused`, is written at most once a second)",
     [](const std::string& f, const std::string& v, Options& o) {
       std::size_t n = 0;
       std::string error = count(f, v, n, 1, "connections");
       if (error.empty()) o.max_connections = n;
       return error;
     }},
    {"--max-connections-per-address", "N", "", "256",
     "TCP connections held at once from one source address (`0`: no limit); the next is answered "
     "`503` and closed",
     [](const std::string& f, const std::string& v, Options& o) {
       return count(f, v, o.max_connections_per_address, 0, "connections");
     }},
    {"--max-messages-per-second", "N", "", "50",
     "messages a connection may send each second, in bursts of up to 4 seconds' worth (`0`: no "
     "limit); past it a message is dropped and the sender gets a `RATE_LIMITED` error (at most "
     "one a second); a sender whose dropped messages within 10 s pass 10 seconds' allowance is "
     "closed (1008)",
     [](const std::string& f, const std::string& v, Options& o) {
       return count(f, v, o.max_messages_per_second, 0, "messages");
     }},
    {"--max-bytes-per-second", "N", "", "262144",
     "bytes a connection may send each second, in bursts of up to 4 seconds' worth or one message "
     "of `--max-message-bytes`, whichever is more (`0`: no limit); past it, as above",
     [](const std::string& f, const std::string& v, Options& o) {
       return count(f, v, o.max_bytes_per_second, 0, "bytes");
     }},
    {"--room-capacity", "N", "", "6", "participants a room admits; the next joiner gets `ROOM_FULL`",
     apply_room_capacity},
    {"--store", "memory|dynamodb", "see below", "memory",
     "where rooms live: in the process, or in a DynamoDB table (dynamodb reads `AWS_REGION`, "
     "`VIDEOCHAT_TABLE`, `AWS_ENDPOINT_URL_DYNAMODB` and the AWS credentials, and creates the "
     "table if it is missing)",
     apply_store},
    {"--management-credentials", "KEY:SECRET[:REGION]", "", "none",
     "require SigV4 signatures (service execute-api, region default us-east-1) on the management "
     "API, as AWS does",
     apply_credentials},
    {"--lambda", "PATH.zip", "", "none",
     "run the handlers as the Lambda function's zip, in child processes behind a local Runtime API "
     "(implies `--store dynamodb`; see Lambda mode in docs/local-stack.md)",
     apply_lambda},
    {"--lambda-max-processes", "N", "", "4", "most function processes at once",
     apply_lambda_processes},
    {"--lambda-timeout-ms", "N", "", "10000",
     "an invocation running longer fails and its process is killed (the function's `Timeout` in "
     "`template.yaml`)",
     apply_lambda_timeout},
    {"--resume-token-lifetime", "S", "", "7800",
     "how long a resume token lets a page take its place back after the join that issued it "
     "(just over the 2 hours API Gateway lets a connection live)",
     [](const std::string& f, const std::string& v, Options& o) {
       return seconds(f, v, o.resume_token_lifetime);
     }},
    {"--resume-secret-file", "PATH", "VIDEOCHAT_RESUME_SECRET", "32 random bytes per start",
     "the key of resume tokens (at least 32 bytes; a file's final newline is ignored; the file "
     "wins over the variable). With the default, tokens die with the process, as the in-memory "
     "rooms do; a `resume_secret` log line says which source was used, never the secret",
     [](const std::string&, const std::string& v, Options& o) {
       o.resume_secret_file = v;
       return std::string();
     }},
    {"--turn-url", "URL", "VIDEOCHAT_TURN_URLS", "none",
     "a TURN relay (`turn:HOST:3478?transport=udp`, `turns:HOST:443?transport=tcp`; repeat, or "
     "comma list) whose short-lived credentials every joiner gets in `joined` (needs "
     "`--turn-secret-file`; see docs/turn.md)",
     [](const std::string&, const std::string& v, Options& o) {
       // The flags replace the environment's list.
       if (!std::exchange(o.turn_urls_given, true)) o.turn.urls.clear();
       for (auto& url : comma_list(v)) {
         if (auto problem = lambdas::turn_url_problem(url); !problem.empty()) return problem;
         o.turn.urls.push_back(url);
       }
       return std::string();
     }},
    {"--turn-secret-file", "PATH", "VIDEOCHAT_TURN_SECRET", "none",
     "the secret shared with the relay (coturn's `static-auth-secret`; a file's final newline is "
     "ignored; the file wins over the variable); never sent to a page nor logged",
     [](const std::string&, const std::string& v, Options& o) {
       o.turn_secret_file = v;
       return std::string();
     }},
    {"--turn-credential-lifetime", "S", "", "7800",
     "how long a TURN credential lets a page make new allocations (a running one outlives it), at "
     "most 7800 (just over the 2 hours a connection may live); every join, including the one "
     "after a dropped connection, gets a fresh one",
     [](const std::string& f, const std::string& v, Options& o) {
       std::string error = seconds(f, v, o.turn.lifetime);
       if (error.empty() && o.turn.lifetime > lambdas::kMaxTurnCredentialLifetime) {
         return f + " is at most " + std::to_string(lambdas::kMaxTurnCredentialLifetime.count()) +
                " s (just over the 2 hours a connection may live), not " + v;
       }
       return error;
     }},
};

std::string without_backticks(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '`') out.push_back(c);
  }
  return out;
}

// `text` in lines of at most `width` characters, each after `indent` spaces but the first.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t width) {
  std::string out, line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    std::string word = text.substr(start, space - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + '\n' + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = space + 1;
  }
  return out + line;
}

}  // namespace

std::string usage() {
  constexpr std::size_t kColumn = 27;
  std::string out =
      "Usage: videochat-local [options]\n"
      "Serves the video chat client and a local API Gateway WebSocket API (signaling) on one "
      "port.\n\n";
  for (const Flag& flag : kFlags) {
    std::string head = "  " + std::string(flag.name) + " " + std::string(flag.value);
    std::string meaning = without_backticks(flag.meaning) + " (default " +
                          std::string(flag.default_text);
    if (!flag.env.empty() && flag.env != "see below") meaning += ", or $" + std::string(flag.env);
    meaning += ")";
    if (head.size() + 1 > kColumn) {
      out += head + "\n" + std::string(kColumn, ' ');
    } else {
      out += head + std::string(kColumn - head.size(), ' ');
    }
    out += wrapped(meaning, kColumn, 100 - kColumn) + "\n";
  }
  out += "  --help" + std::string(kColumn - 8, ' ') + "this text\n";
  return out;
}

std::string options_markdown() {
  std::string out = "| Option | Environment | Default | Meaning |\n|---|---|---|---|\n";
  auto code = [](std::string_view text) {
    std::string escaped;
    for (char c : text) {
      if (c == '|') escaped += '\\';
      escaped += c;
    }
    return "`" + escaped + "`";
  };
  for (const Flag& flag : kFlags) {
    const bool env_is_name = !flag.env.empty() && flag.env != "see below";
    const bool default_is_value = flag.default_text.find(' ') == std::string_view::npos &&
                                  flag.default_text != "any" && flag.default_text != "none";
    out += "| " + code(std::string(flag.name) + " " + std::string(flag.value)) + " | " +
           (env_is_name ? code(flag.env) : std::string(flag.env)) + " | " +
           (default_is_value ? code(flag.default_text) : std::string(flag.default_text)) + " | " +
           std::string(flag.meaning) + " |\n";
  }
  return out;
}

std::variant<Options, ShowHelp, std::string> parse_options(
    const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
    const std::string& default_web_root) {
  Options options;
  options.web_root = default_web_root;
  if (auto it = env.find("PORT"); it != env.end() && !it->second.empty()) {
    if (!parse_number<std::uint16_t>(it->second, options.port, 1, 65535)) {
      return "PORT must be a port number from 1 to 65535, not '" + it->second + "'";
    }
  }
  if (auto it = env.find("ICE_SERVERS"); it != env.end() && !it->second.empty()) {
    options.ice_servers = it->second;
  }
  if (auto it = env.find("VIDEOCHAT_TURN_URLS"); it != env.end() && !it->second.empty()) {
    for (auto& url : comma_list(it->second)) {
      if (auto problem = lambdas::turn_url_problem(url); !problem.empty()) {
        return "VIDEOCHAT_TURN_URLS: " + problem;
      }
      options.turn.urls.push_back(url);
    }
  }
  if (auto it = env.find("VIDEOCHAT_TURN_SECRET"); it != env.end() && !it->second.empty()) {
    options.turn.secret = it->second;
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
    const auto* known = std::find_if(std::begin(kFlags), std::end(kFlags),
                                     [&](const Flag& candidate) { return candidate.name == flag; });
    if (known == std::end(kFlags)) return "unknown option " + flag + " (see --help)";
    if (i + 1 >= args.size()) return flag + " needs a value (see --help)";
    std::string error = known->apply(flag, args[++i], options);
    if (!error.empty()) return error;
  }

  if (!options.lambda_zip.empty()) {
    // The function keeps its rooms in DynamoDB, as on AWS; the in-memory store lives in this
    // process, where the function's processes cannot reach it.
    if (options.store_given && options.store != StoreKind::DynamoDb) {
      return "--lambda runs the function on its DynamoDB store; --store memory cannot apply";
    }
    options.store = StoreKind::DynamoDb;
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return options.tls_cert_file.empty() ? "--tls-key needs its certificate: --tls-cert"
                                          : "--tls-cert needs its private key: --tls-key";
  }
  const bool has_secret = !options.turn.secret.empty() || !options.turn_secret_file.empty();
  if (!options.turn.urls.empty() && !has_secret) {
    return "--turn-url needs the relay's secret: --turn-secret-file or VIDEOCHAT_TURN_SECRET";
  }
  if (options.turn.urls.empty() && has_secret) {
    return "a TURN secret without a relay: give its URLs with --turn-url or VIDEOCHAT_TURN_URLS";
  }

  auto ice = nlohmann::json::parse(options.ice_servers, nullptr, false);
  if (!ice.is_array()) {
    return "--ice-servers / ICE_SERVERS must be a JSON array such as "
           "[{\"urls\":\"stun:stun.example.org:3478\"}]";
  }
  return options;
}

}  // namespace videochat::local
