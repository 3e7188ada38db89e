// The chat panel (a --js-library): the page's own elements, laid out by the browser, since people
// write in any script and messages wrap to any height (ImGui's font is Latin-1). The room view
// says where the panel goes and what it holds (ui/chat_panel.cpp); the panel reports what the
// person sends or closes, through Module.vcSendChat and Module.vcSetChatOpen. Message text is set
// as text, never as markup: a link or a <script> in a message is shown, not run.
mergeInto(LibraryManager.library, {
  $VcChat: {
    panel: null,
    shown: '',  // the last update, as given
    items: {},  // message id -> <li>

    create: function() {
      var host = Module.vcHost;
      var doc = host.container.ownerDocument;
      var make = function(tag, className, parent) {
        var element = doc.createElement(tag);
        if (className) element.className = className;
        if (parent) parent.appendChild(element);
        return element;
      };
      var panel = make('section', 'vc-chat');
      panel.id = 'chat';
      panel.hidden = true;
      panel.setAttribute('aria-labelledby', 'chat-title');
      var header = make('header', '', panel);
      var title = make('h2', '', header);
      title.id = 'chat-title';
      var close = make('button', 'close', header);
      close.type = 'button';
      close.textContent = '\u00d7';
      close.addEventListener('click', function() { Module.vcSetChatOpen(false); });
      // role=log: screen readers say each new message as it arrives.
      var list = make('ol', 'messages', panel);
      list.setAttribute('role', 'log');
      list.setAttribute('aria-live', 'polite');
      var empty = make('p', 'empty', panel);
      var notes = make('p', 'notes', panel);
      var form = make('form', '', panel);
      var input = make('input', '', form);
      input.type = 'text';
      input.id = 'chat-input';
      input.autocomplete = 'off';
      input.enterKeyHint = 'send';
      input.setAttribute('autocapitalize', 'sentences');
      var send = make('button', 'send', form);
      send.type = 'submit';
      var problem = make('p', 'problem', panel);
      problem.setAttribute('role', 'alert');
      form.addEventListener('submit', function(event) {
        event.preventDefault();
        var why = Module.vcSendChat(input.value);
        problem.textContent = why;
        if (!why) input.value = '';
      });
      panel.addEventListener('keydown', function(event) {
        if (event.key === 'Escape') {
          event.stopPropagation();
          Module.vcSetChatOpen(false);
        }
      });
      host.container.appendChild(panel);
      VcChat.panel = { element: panel, title: title, close: close, list: list, empty: empty,
                       notes: notes, input: input, send: send, problem: problem };
      host.signal.addEventListener('abort', function() { panel.remove(); });
    },

    // One message: the name, the time and the text, each the browser's text.
    item: function(message, texts) {
      var doc = VcChat.panel.element.ownerDocument;
      var li = doc.createElement('li');
      li.className = message.own ? 'own' : '';
      var head = doc.createElement('p');
      head.className = 'head';
      var name = doc.createElement('strong');
      name.textContent = message.name;
      var time = doc.createElement('time');
      var at = new Date(message.sentAt);
      time.dateTime = at.toISOString();
      time.textContent = at.toLocaleTimeString(texts.lang, { hour: '2-digit', minute: '2-digit' });
      head.append(name, ' ', time);
      if (message.relayedBy !== null) {
        var relayed = doc.createElement('span');
        relayed.className = 'relayed';
        relayed.textContent = ' \u00b7 ' + message.relayedBy;
        head.appendChild(relayed);
      }
      var text = doc.createElement('p');
      text.className = 'text';
      text.textContent = message.text;
      li.append(head, text);
      return li;
    },
  },

  // Shows the panel at the box (CSS pixels of the client's box) with `json`'s texts and messages,
  // or hides it when `width` is 0. Touches the page only when something changed.
  vc_chat_panel__deps: ['$VcChat'],
  vc_chat_panel__sig: 'vffffi',
  vc_chat_panel: function(x, y, width, height, json) {
    var update = UTF8ToString(json);
    var key = [x, y, width, height].join(',') + update;
    if (key === VcChat.shown) return;
    VcChat.shown = key;
    if (!VcChat.panel) {
      if (width === 0) return;
      VcChat.create();
    }
    var panel = VcChat.panel;
    var opening = panel.element.hidden && width > 0;
    panel.element.hidden = width === 0;
    if (width === 0) return;
    var style = panel.element.style;
    style.left = x + 'px';
    style.top = y + 'px';
    style.width = width + 'px';
    style.height = height + 'px';
    var state = JSON.parse(update);
    var texts = state.texts;
    panel.title.textContent = texts.title;
    panel.close.setAttribute('aria-label', texts.close);
    panel.close.title = texts.close;
    panel.input.placeholder = texts.placeholder;
    panel.input.setAttribute('aria-label', texts.placeholder);
    panel.send.textContent = texts.send;
    panel.empty.textContent = state.messages.length ? '' : texts.empty;
    panel.notes.textContent = state.notes.join(' ');
    var list = panel.list;
    var atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    var kept = {};
    state.messages.forEach(function(message, index) {
      var li = VcChat.items[message.id] || VcChat.item(message, texts);
      kept[message.id] = li;
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
    Object.keys(VcChat.items).forEach(function(id) {
      if (!kept[id]) VcChat.items[id].remove();
    });
    VcChat.items = kept;
    if (atEnd || opening) list.scrollTop = list.scrollHeight;
    if (opening) panel.input.focus();
  },
});
