// videochat-local's settings: command-line flags over environment variables over defaults.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "management_auth.hpp"
#include "resume_token.hpp"
#include "room_store.hpp"
#include "turn_credentials.hpp"

namespace videochat::local {

// Where rooms live: in this process, or in a DynamoDB table (AWS's, or dynalite's locally) through
// the same store the Lambda handlers use.
enum class StoreKind { Memory, DynamoDb };

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string stage = "production";
  std::string web_root;           // static client files
  std::string ice_servers = "[]"; // JSON array handed to clients in config.json
  bool relay_only = false;        // config.json's iceTransportPolicy: "relay"
  std::string signaling_url;      // overrides the URL config.json advertises
  // HTTPS and WSS on the one port (both or neither): PEM files, read at start (see tls_context).
  std::string tls_cert_file;
  std::string tls_key_file;
  bool tls() const { return !tls_cert_file.empty(); }
  unsigned threads = 0;           // 0: one per core
  // Interrupt moderation: a loop that is busy handles its ready connections at most once per
  // this window, batching the wake-ups that dominate the CPU cost per message; an idle loop
  // answers at once. Zero turns it off.
  std::chrono::microseconds coalesce_window{500};
  std::vector<std::string> allowed_origins;
  // The pages' Content-Security-Policy frame-ancestors: who may frame our page (iframe mode).
  std::string frame_ancestors = "*";
  StoreKind store = StoreKind::Memory;
  bool store_given = false;  // --store was on the command line
  std::size_t room_capacity = lambdas::kDefaultRoomCapacity;  // participants a room admits
  // When set, the @connections management API requires SigV4 signatures by this key, as on AWS.
  std::optional<ManagementCredentials> management_credentials;
  // The resume tokens' HMAC key: $VIDEOCHAT_RESUME_SECRET, or the contents of
  // --resume-secret-file (read by load_resume_secret), or, when neither is given, random bytes
  // made at start (tokens then die with the process, as the in-memory rooms do).
  std::string resume_secret;
  bool resume_secret_is_random = false;  // made at start: raw bytes, not text
  std::string resume_secret_file;
  // How long a resume token is good for after the join that issued it.
  std::chrono::seconds resume_token_lifetime = lambdas::kDefaultResumeTokenLifetime;

  // The TURN relay whose credentials joiners get; its secret comes from VIDEOCHAT_TURN_SECRET or
  // the file (read by load_turn_secret).
  lambdas::TurnConfig turn;
  std::string turn_secret_file;
  bool turn_urls_given = false;  // --turn-url was on the command line

  // API Gateway's WebSocket limits.
  std::chrono::seconds idle_timeout{600};
  std::chrono::seconds max_lifetime{7200};
  std::size_t max_frame_bytes = 32 * 1024;
  std::size_t max_message_bytes = 128 * 1024;
  // Our own: the largest `message` relayed by sendMsgToRoom.
  std::size_t max_relay_bytes = 64 * 1024;
  // Server pings that find dead peers; they never count as activity for the idle timeout.
  std::chrono::seconds ping_interval{30};
  std::chrono::seconds shutdown_grace{5};
  // TCP connections held at once: in all (nothing: from the descriptor limit, see
  // default_total_connections) and per source address (0: no limit). Over either, a connection is
  // answered 503 and closed.
  std::optional<std::size_t> max_connections;
  std::size_t max_connections_per_address = 256;
  // Per connection: messages and bytes a second it may send (0: no limit), with bursts of four
  // seconds' worth (the byte burst at least one message of max_message_bytes). Over, a message is
  // dropped with RATE_LIMITED; far over, the connection is closed (see MessageRateLimiter).
  std::size_t max_messages_per_second = 50;
  std::size_t max_bytes_per_second = 256 * 1024;

  // Lambda mode: the function's zip, run as child processes behind a local Runtime API (see
  // local/lambda/). Empty: the handlers run in process.
  std::string lambda_zip;
  std::size_t lambda_max_processes = 4;
  // As the function is configured on AWS (template.yaml: Timeout: 10).
  std::chrono::milliseconds lambda_timeout{10000};
};

struct ShowHelp {};

// `env` holds the environment variables that matter (PORT); `args` excludes the program name.
std::variant<Options, ShowHelp, std::string> parse_options(
    const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
    const std::string& default_web_root);

// --help's text and the options table of docs/local-stack.md, made from the one list of flags.
std::string usage();
std::string options_markdown();

}  // namespace videochat::local
