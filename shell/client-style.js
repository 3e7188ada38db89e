// The client's styles, one sheet for our page and for every <video-chat> element's shadow root
// (a constructable stylesheet: a host page whose style-src forbids inline styles allows it). The
// selectors are ids within one client's root: in a shadow root they cannot meet the host's.
//
// The colours are the client's palette (wasm/core/palette.hpp), which sets the --vc-* properties
// on the client's box when it starts and when the colour scheme changes; until then, the dark
// theme's.
export const clientStyles = `
  .vc-box { position: relative; overflow: hidden; width: 100%; height: 100%;
            background: var(--vc-page, #121419); color: var(--vc-text, #ebedf2);
            font: 16px system-ui, sans-serif; }
  .vc-box:focus { outline: none; }
  /* The pictures: <video> elements the browser composites itself, placed by the client where it
     lays out each tile, under the UI's canvas, which is transparent over them, or above it where
     the UI draws nothing over them (.above-ui). The canvas takes the pointer everywhere. */
  #videos { position: absolute; inset: 0; overflow: hidden; pointer-events: none; }
  #videos > * { position: absolute; box-sizing: border-box; }
  #videos > .above-ui { z-index: 1; }
  #videos video { object-fit: contain; background: var(--vc-surface, #1c1f26);
                  border-radius: 10px; }
  #videos video.mirrored { transform: scaleX(-1); }
  #videos .level-meter { background: var(--vc-level-track, #262933); border-radius: 3px;
                        overflow: hidden; }
  /* No will-change on the bar: on a layer of its own, each move of the bar re-drew the whole
     page below the title in the compositor (software compositing: 18 of 20 bar changes in a
     trace); painted into its container, a move damages only the bar's own pixels. */
  #videos .level-meter > div { height: 100%; background: var(--vc-level, #4dc773);
                               transform-origin: left; transform: scaleX(0); }
  [hidden] { display: none !important; }
  /* The client sizes the canvas's backing store to this times devicePixelRatio. */
  #canvas { position: absolute; inset: 0; display: block; width: 100%; height: 100%;
            outline: none; }
  /* The DOM mirror (wasm/browser/dom_mirror.js): a real element for every control, text and
     region the UI draws, placed exactly over it, above the canvas and the pictures. Screen
     readers, the keyboard, taps and input methods use these; the canvas only draws. Their text
     is invisible (the canvas draws it), except what people type into the fields. */
  #ui { position: absolute; inset: 0; overflow: hidden; pointer-events: none; z-index: 2; }
  #ui * { position: absolute; box-sizing: border-box; margin: 0; padding: 0; border: 0;
          background: none; list-style: none;
          /* The size ImGui draws its 16 px Inter at (it sizes fonts by ascent + descent), in the
             FontFace the client adds (wasm/browser/font_atlas.js). */
          font: 13.22px "VideoChat Inter", system-ui, sans-serif;
          border-radius: 6px; }
  #ui p, #ui h1, #ui h2, #ui li, #ui button > span { opacity: 0; overflow: hidden;
                                                     white-space: nowrap; }
  #ui button > span { position: static; }
  #ui .look-nameTag { opacity: 1; color: #fff; background: rgba(0, 0, 0, 0.63); padding: 0 10px;
                      border-radius: 8px; text-overflow: ellipsis; }
  #ui .look-page { opacity: 1; color: var(--vc-text, #ebedf2); overflow: visible; }
  #ui button, #ui input { pointer-events: auto; cursor: pointer; appearance: none; color: inherit;
                          -webkit-tap-highlight-color: transparent; }
  #ui button:disabled { cursor: default; }
  /* A name wider than its button (an icon's) must not spill over the next control and take its
     clicks. */
  #ui button { overflow: hidden; }
  #ui input[type=text], #ui input[type=password] {
    cursor: text; color: var(--vc-text, #ebedf2); padding: 0 12px;
  }
  #ui input[type=text]::placeholder, #ui input[type=password]::placeholder {
    color: var(--vc-placeholder, #9ba1ab); opacity: 1;
  }
  #ui :focus { outline: none; }
  #ui :focus-visible { outline: 2px solid var(--vc-focus-ring, #8ab4ff); outline-offset: 2px; }
  /* What is said to screen readers as it happens: heard, not seen. */
  .announcer { position: absolute; width: 1px; height: 1px; overflow: hidden;
               clip-path: inset(50%); white-space: nowrap; }
  /* The chat panel (wasm/browser/chat_panel.js): the browser lays out messages in any script. */
  #chat { position: absolute; z-index: 3; box-sizing: border-box; display: flex;
          flex-direction: column; gap: 8px; padding: 12px; border-radius: 10px;
          background: var(--vc-surface, #1c1f26); color: var(--vc-text, #ebedf2);
          font: 14px system-ui, sans-serif; }
  #chat header { display: flex; align-items: center; justify-content: space-between; }
  #chat h2 { margin: 0; font-size: 16px; font-weight: 600; }
  #chat button { font: inherit; color: inherit; border: 0; border-radius: 6px; cursor: pointer;
                 background: var(--vc-button, #2e3340); padding: 6px 12px; min-height: 32px; }
  #chat button.close { min-width: 32px; padding: 0; font-size: 20px; line-height: 1; }
  #chat .messages { flex: 1; overflow-y: auto; margin: 0; padding: 0; list-style: none;
                    display: flex; flex-direction: column; gap: 10px; }
  #chat .messages p { margin: 0; }
  #chat .head { font-size: 12px; color: var(--vc-muted-text, #9ba1ab); }
  #chat .head strong { color: var(--vc-text, #ebedf2); font-weight: 600; }
  #chat .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  #chat .empty, #chat .notes { margin: 0; font-size: 13px; color: var(--vc-muted-text, #9ba1ab); }
  #chat .empty:empty, #chat .notes:empty, #chat .problem:empty { display: none; }
  #chat .problem { margin: 0; font-size: 13px; color: var(--vc-warning-text, #f9bf4d); }
  #chat form { display: flex; gap: 8px; }
  #chat input { flex: 1; min-width: 0; font: inherit; color: inherit; border-radius: 6px;
                border: 0; padding: 6px 10px; background: var(--vc-field, #2a2e38); }
  #chat :focus-visible { outline: 2px solid var(--vc-focus-ring, #8ab4ff); outline-offset: 2px; }
  /* The device picker (shell/devices.js): the page's own <select>s, names in any script. */
  #devices { position: absolute; z-index: 4; left: 50%; top: 50%; transform: translate(-50%, -50%);
             box-sizing: border-box; width: min(420px, calc(100% - 24px)); padding: 16px;
             display: flex; flex-direction: column; gap: 12px; border-radius: 10px;
             background: var(--vc-surface, #1c1f26); color: var(--vc-text, #ebedf2);
             font: 14px system-ui, sans-serif; box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4); }
  #devices h2 { margin: 0; font-size: 16px; font-weight: 600; }
  #devices label { display: flex; flex-direction: column; gap: 4px; }
  #devices select { font: inherit; color: inherit; background: var(--vc-field, #2a2e38);
                    border: 0; border-radius: 6px; padding: 6px 8px; min-height: 32px; }
  #devices .problem { margin: 0; font-size: 13px; color: var(--vc-warning-text, #f9bf4d); }
  #devices .problem:empty { display: none; }
  #devices button { align-self: flex-end; font: inherit; color: inherit; border: 0;
                    border-radius: 6px; cursor: pointer; background: var(--vc-button, #2e3340);
                    padding: 6px 16px; min-height: 32px; }
  #devices :focus-visible { outline: 2px solid var(--vc-focus-ring, #8ab4ff); outline-offset: 2px; }
  #status { position: absolute; inset: 0; display: flex; align-items: center;
            justify-content: center; text-align: center; padding: 2em; pointer-events: none; }
`;

let sheet = null;
// The sheet, made once per page and shared by every client in it.
export function clientStyleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(clientStyles);
  }
  return sheet;
}
