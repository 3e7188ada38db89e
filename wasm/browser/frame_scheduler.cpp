#include "frame_scheduler.hpp"

#include <emscripten/html5.h>

#include <algorithm>

namespace videochat::browser {

void FrameScheduler::request(int settle_frames) {
  settle_frames_ = std::max(settle_frames_, settle_frames);
  if (!requested_) ask_browser();
}

void FrameScheduler::ask_browser() {
  requested_ = true;
  emscripten_request_animation_frame(&FrameScheduler::on_animation_frame, this);
}

int FrameScheduler::on_animation_frame(double, void* self) {
  auto& scheduler = *static_cast<FrameScheduler*>(self);
  scheduler.requested_ = false;
  ++scheduler.frames_drawn_;
  scheduler.draw_();  // may request() again: the state it drew from changed meanwhile
  if (!scheduler.requested_ && scheduler.settle_frames_ > 0) {
    --scheduler.settle_frames_;
    scheduler.ask_browser();
  }
  return 0;  // one frame; the next is asked for explicitly
}

}  // namespace videochat::browser
