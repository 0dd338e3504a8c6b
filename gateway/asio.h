// The one way gateway code includes Boost.Asio and Beast. <utility> first:
// Boost 1.74's awaitable.hpp uses std::exchange without including it.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace nanbyo::gw {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// Every socket, timer and coroutine of the data path lives on one io_context per worker
// thread, so they name its executor type instead of the type-erased any_io_executor:
// every async operation copies its executor several times (work tracking, handler
// association), and any_io_executor makes each copy an indirect call.
using Executor = boost::asio::io_context::executor_type;
template <typename T = void>
using awaitable = boost::asio::awaitable<T, Executor>;
inline constexpr boost::asio::use_awaitable_t<Executor> use_awaitable{};
using TcpSocket = boost::asio::basic_stream_socket<tcp, Executor>;
using TcpAcceptor = boost::asio::basic_socket_acceptor<tcp, Executor>;
using TcpStream = boost::beast::basic_stream<tcp, Executor>;

}  // namespace nanbyo::gw
