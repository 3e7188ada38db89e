// The types every connection of videochat-local is built from. Each connection lives on one loop
// (an io_context run by one thread), so its executor is named concretely: the type-erased
// any_io_executor that beast::tcp_stream carries is copied and destroyed by every operation, which
// a profile of the per-message path showed costing several percent of the server's CPU.
#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace videochat::local {

using LoopExecutor = boost::asio::io_context::executor_type;
using LoopSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, LoopExecutor>;
// HTTP sessions use Beast's stream for its per-request deadlines.
using LoopStream = boost::beast::basic_stream<boost::asio::ip::tcp, LoopExecutor>;
// With --tls-cert: TLS over that stream, in the HTTP phase and, as is, in the WebSocket's (which
// turns the deadlines off), since OpenSSL's session cannot move to another layer.
using TlsStream = boost::beast::ssl_stream<LoopStream>;

}  // namespace videochat::local
