// Draws the UI only when something may have changed it. Each request() asks for one animation
// frame (requests before it is drawn share it) and a frame or two after it, which ImGui needs to
// settle hover and active states, apply focus requests and size new windows. Between requests the
// page does no per-frame work at all. A hidden page's animation frames wait until it is shown
// again.
#pragma once

#include <functional>

namespace videochat::browser {

class FrameScheduler final {
 public:
  // After input: hover and active states settle, and focus requests apply, a frame late.
  static constexpr int kSettleFrames = 2;
  // After a change of the app's state: one frame (a window that sizes itself to its contents is
  // laid out hidden first; main.cpp asks for the frame that shows it).
  static constexpr int kStateSettleFrames = 0;

  // `draw` draws one frame. The scheduler must outlive every frame it asked for (the page's
  // lifetime, in practice).
  explicit FrameScheduler(std::function<void()> draw) : draw_(std::move(draw)) {}
  FrameScheduler(const FrameScheduler&) = delete;
  FrameScheduler& operator=(const FrameScheduler&) = delete;

  void request(int settle_frames = kSettleFrames);
  // Frames drawn so far: tests check that an idle page draws none.
  double frames_drawn() const { return frames_drawn_; }

 private:
  static int on_animation_frame(double time, void* self);
  void ask_browser();

  std::function<void()> draw_;
  bool requested_ = false;
  int settle_frames_ = 0;
  double frames_drawn_ = 0;
};

}  // namespace videochat::browser
