// C++ functions as JavaScript functions. Embind 3.1.6 cannot wrap a lambda, so one exported
// function (`Module.vcCallback`) dispatches by id, and each callback is that function bound to its
// id. A callback whose JsCallback is gone is ignored when it fires, so a late promise or event can
// never reach a dead object.
#pragma once

#include <emscripten/val.h>

#include <functional>

namespace videochat::browser {

using JsHandler = std::function<void(emscripten::val)>;

class JsCallback final {
 public:
  explicit JsCallback(JsHandler handler);
  ~JsCallback();
  JsCallback(const JsCallback&) = delete;
  JsCallback& operator=(const JsCallback&) = delete;

  // The JavaScript function (taking one argument) that calls the handler.
  emscripten::val function() const;

 private:
  int id_;
};

// A callback that unregisters itself after its first call: for promise continuations.
emscripten::val once(JsHandler handler);

}  // namespace videochat::browser
