// The DOM mirror's page side (a --js-library): a real element for every control, text and region
// the views draw, placed exactly over it in the layer #ui above the canvas. Screen readers read
// these elements, the keyboard moves between them (Tab order is their order), taps and clicks land
// on them, and text fields are the browser's own <input>s (soft keyboards, input methods,
// dictation, autofill, undo). The elements only report what the person did, through
// Module.vcActivate(id) and Module.vcInput(id, text); what it means is decided in C++, in the
// views' one pass. Updates come from wasm/core/ui_mirror.cpp and carry only what changed. The
// elements live in the client's own root (Module.vcHost): keys are heard only inside the client,
// never on the host page's window.
mergeInto(LibraryManager.library, {
  $VcMirror: {
    layer: null,
    entries: {},  // id -> { element, node }
    defaultAction: '',
    shortcuts: {},  // key -> id
    dialog: null,  // the open dialog's entry
    opener: null,  // what had the focus before the dialog opened

    init: function() {
      var mirror = VcMirror;
      var host = Module.vcHost;
      mirror.layer = host.ui;
      var activate = function(id) { Module.vcActivate(id); };
      mirror.layer.addEventListener('click', function(event) {
        var element = event.target.closest('[data-vc-action]');
        if (element && !element.disabled) activate(element.dataset.vcId);
      });
      mirror.layer.addEventListener('input', function(event) {
        var element = event.target;
        if (element.dataset.vcId) Module.vcInput(element.dataset.vcId, element.value);
      });
      host.container.addEventListener('keydown', function(event) {
        // An input method's Enter confirms its composition: it does not submit.
        if (event.isComposing || event.keyCode === 229) return;
        if (event.key === 'Escape' && mirror.dialog && mirror.dialog.node.cancelAction) {
          event.preventDefault();
          activate(mirror.dialog.node.cancelAction);
          return;
        }
        var target = event.target;
        var field = target.dataset && target.dataset.vcId && mirror.entries[target.dataset.vcId];
        var typing = (field && field.node.role === 'textField') || target.isContentEditable ||
                     target.tagName === 'INPUT' || target.tagName === 'TEXTAREA';
        var shortcut = mirror.shortcuts[event.key];
        if (shortcut && !typing && !mirror.dialog && !event.ctrlKey && !event.altKey &&
            !event.metaKey && !event.repeat) {
          event.preventDefault();
          activate(shortcut);
          return;
        }
        if (event.key !== 'Enter') return;
        if (field && field.node.role === 'textField') {
          if (field.node.field.enterAction) {
            event.preventDefault();
            activate(field.node.field.enterAction);
          }
          return;
        }
        // Enter with no control focused (the page, the client's box): the screen's main action.
        if (mirror.focusless(target) && mirror.defaultAction && !mirror.dialog) {
          event.preventDefault();
          activate(mirror.defaultAction);
        }
      }, { signal: host.signal });
    },

    // Whether `element` (the focus, or an event's target) is none of the client's controls.
    focusless: function(element) {
      return !element || element === document.body || element === document.documentElement ||
             element === Module.vcHost.container || element === Module.vcHost.canvas;
    },

    create: function(node) {
      var tags = { button: 'button', toggle: 'button', checkbox: 'input', textField: 'input',
                   heading: 'h1', text: 'p', dialog: 'div', list: 'ul', listItem: 'li' };
      var element = document.createElement(node.role === 'heading' && node.parent ? 'h2'
                                                                                : tags[node.role]);
      element.id = 'ui-' + node.id;
      element.dataset.vcId = node.id;
      element.className = 'vc-' + node.role + ' look-' + node.look;
      // A name tag repeats, for the eyes, what the tile's list item says.
      if (node.look === 'nameTag') element.setAttribute('aria-hidden', 'true');
      if (node.role === 'button' || node.role === 'toggle') {
        element.type = 'button';
        element.appendChild(document.createElement('span'));
      }
      if (node.role === 'button' || node.role === 'toggle' || node.role === 'checkbox') {
        element.dataset.vcAction = '';
      }
      if (node.role === 'checkbox') element.type = 'checkbox';
      if (node.role === 'textField') {
        element.type = 'text';
        element.spellcheck = false;
        element.addEventListener('compositionstart', function() { element.vcComposing = true; });
        element.addEventListener('compositionend', function() { element.vcComposing = false; });
      }
      if (node.role === 'dialog') {
        element.setAttribute('role', 'dialog');
        element.setAttribute('aria-modal', 'true');
      }
      return element;
    },

    // Sets what the node says about itself: name, state, box (relative to its parent's box).
    describe: function(entry, node) {
      var element = entry.element;
      var parent = node.parent && VcMirror.entries[node.parent];
      var left = node.x - (parent ? parent.node.x : 0), top = node.y - (parent ? parent.node.y : 0);
      var style = element.style;
      style.left = left + 'px';
      style.top = top + 'px';
      // A name tag is as wide as the browser draws the name, up to the box.
      style[node.look === 'nameTag' ? 'maxWidth' : 'width'] = node.width + 'px';
      if (node.look !== 'canvas') style.lineHeight = node.height + 'px';
      style.height = node.height + 'px';
      switch (node.role) {
        case 'toggle':
          element.setAttribute('aria-pressed', node.pressed ? 'true' : 'false');
          // falls through
        case 'button':
          element.firstChild.textContent = node.name;
          element.disabled = node.disabled;
          break;
        case 'checkbox':
          element.setAttribute('aria-label', node.name);
          element.checked = node.pressed;
          element.disabled = node.disabled;
          break;
        case 'textField':
          var field = node.field;
          element.setAttribute('aria-label', node.name);
          element.placeholder = field.placeholder;
          element.autocomplete = field.autocomplete;
          element.enterKeyHint = field.enterKeyHint;
          element.inputMode = field.inputMode;
          element.setAttribute('autocapitalize', field.autocapitalize);
          element.type = field.secret ? 'password' : 'text';
          if (field.maxLength > 0) element.maxLength = field.maxLength;
          // What the person types is already the value; the views change it (a random room)
          // only between compositions.
          if (element.value !== field.value && !element.vcComposing) element.value = field.value;
          break;
        case 'dialog':
        case 'list':
          element.setAttribute('aria-label', node.name);
          break;
        default:
          element.textContent = node.name;
      }
      entry.node = node;
    },

    // Puts each element where the order says, moving only those out of place (a moved element
    // with the focus would lose it).
    reorder: function(order) {
      var previous = {};  // container -> last element placed in it
      order.forEach(function(id) {
        var entry = VcMirror.entries[id];
        var container = entry.element.parentNode;
        var before = previous[container.id] || null;
        var wanted = before ? before.nextSibling : container.firstChild;
        if (wanted !== entry.element) container.insertBefore(entry.element, wanted);
        previous[container.id] = entry.element;
      });
    },

    openDialog: function(entry) {
      VcMirror.dialog = entry;
      VcMirror.opener = Module.vcHost.root.activeElement;
      Array.prototype.forEach.call(VcMirror.layer.children, function(child) {
        if (child !== entry.element) child.inert = true;
      });
    },

    closeDialog: function() {
      VcMirror.dialog = null;
      Array.prototype.forEach.call(VcMirror.layer.children, function(child) {
        child.inert = false;
      });
      var opener = VcMirror.opener;
      VcMirror.opener = null;
      if (opener && opener.isConnected && !VcMirror.focusless(opener)) opener.focus();
    },

    announce: function(said) {
      var region = said.assertive ? Module.vcHost.alerts : Module.vcHost.status;
      // A new element each time: the same words said twice are announced twice.
      var line = document.createElement('p');
      line.textContent = said.text;
      region.appendChild(line);
      while (region.children.length > 3) region.removeChild(region.firstChild);
    },

    apply: function(update) {
      var mirror = VcMirror;
      if (!mirror.layer) mirror.init();
      var opened = null;
      (update.remove || []).forEach(function(id) {
        var entry = mirror.entries[id];
        delete mirror.entries[id];
        if (entry.element.parentNode) entry.element.parentNode.removeChild(entry.element);
        if (mirror.dialog === entry) mirror.closeDialog();
      });
      (update.nodes || []).forEach(function(node) {
        var entry = mirror.entries[node.id];
        if (entry && (entry.node.role !== node.role || entry.node.look !== node.look)) {
          // The same control, another kind of element (the lobby's Microphone checkbox, the
          // call's Mute button): made anew, where the old one was.
          var replaced = entry.element;
          entry.element = mirror.create(node);
          replaced.parentNode.replaceChild(entry.element, replaced);
        }
        if (!entry) {
          entry = mirror.entries[node.id] = { element: mirror.create(node), node: node };
          var parent = node.parent && mirror.entries[node.parent];
          (parent ? parent.element : mirror.layer).appendChild(entry.element);
          if (node.role === 'dialog') opened = entry;
        }
        mirror.describe(entry, node);
      });
      if (update.order) mirror.reorder(update.order);
      if ('defaultAction' in update) mirror.defaultAction = update.defaultAction;
      if (update.shortcuts) mirror.shortcuts = update.shortcuts;
      if (opened) {
        mirror.openDialog(opened);
        var first = opened.element.querySelector('button, input');
        if (first) first.focus();
      }
      // A focus the views ask for is given only if the person has not put it somewhere; behind
      // a dialog, it is where the focus goes when the dialog closes.
      var wanted = update.focus && mirror.entries[update.focus];
      var unfocused = mirror.focusless(Module.vcHost.root.activeElement);
      if (wanted && mirror.dialog && !wanted.node.parent) {
        mirror.opener = wanted.element;
      } else if (wanted && unfocused) {
        wanted.element.focus({ preventScroll: true });
      }
      (update.announce || []).forEach(mirror.announce);
    },
  },

  // Applies an update from client::mirror_update (JSON) to the page.
  vc_mirror_apply__deps: ['$VcMirror'],
  vc_mirror_apply__sig: 'vi',
  vc_mirror_apply: function(text) {
    VcMirror.apply(JSON.parse(UTF8ToString(text)));
  },
});
