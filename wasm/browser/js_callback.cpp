#include "js_callback.hpp"

#include <emscripten/bind.h>

#include <map>
#include <utility>

namespace videochat::browser {

using emscripten::val;

namespace {

struct Entry {
  JsHandler handler;
  bool once = false;
};

// The one table JavaScript can reach C++ through; ids are never reused.
std::map<int, Entry>& table() {
  static std::map<int, Entry> entries;
  return entries;
}
int next_id = 1;

int add(JsHandler handler, bool is_once) {
  int id = next_id++;
  table().emplace(id, Entry{std::move(handler), is_once});
  return id;
}

val bound(int id) {
  return val::module_property("vcCallback").call<val>("bind", val::null(), id);
}

void dispatch(int id, val argument) {
  auto it = table().find(id);
  if (it == table().end()) return;  // its owner is gone
  // Copied out: the handler may destroy its own JsCallback.
  JsHandler handler = it->second.handler;
  if (it->second.once) table().erase(it);
  handler(std::move(argument));
}

}  // namespace

JsCallback::JsCallback(JsHandler handler) : id_(add(std::move(handler), false)) {}
JsCallback::~JsCallback() { table().erase(id_); }
val JsCallback::function() const { return bound(id_); }

val once(JsHandler handler) { return bound(add(std::move(handler), true)); }

EMSCRIPTEN_BINDINGS(videochat_callbacks) { emscripten::function("vcCallback", &dispatch); }

}  // namespace videochat::browser
