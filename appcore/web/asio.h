// The one way appcore/web includes Boost.Asio and Beast. <utility> first:
// Boost 1.74's awaitable.hpp uses std::exchange without including it
// (toolchain-facts.md; the top CMakeLists also passes -include utility).
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace nanbyo::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::awaitable;
using boost::asio::use_awaitable;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace nanbyo::web
