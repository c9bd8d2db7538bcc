// The sandbox page: polls /sandbox/api/state about once a second and updates only what changed, so the composer
// keeps its text and focus. Message bodies arrive as HTML the server already escaped; everything else is set as text.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const QUICK = [['pushpin', '📌', 'Pin to the timeline'], ['bulb', '💡', 'Contributing factor'],
    ['hammer_and_wrench', '🛠️', 'Stabilization step'], ['white_check_mark', '✅', 'Done'], ['eyes', '👀', 'Looking'], ['+1', '👍', 'Agree']];
  const params = new URLSearchParams(location.search);
  const ui = {
    user: params.get('as') || sessionStorage.getItem('sandbox-user') || '',
    channel: params.get('channel') || '',
    thread: null, view: 'channel', editing: null, moreFor: null, confirming: null, state: null, busy: false, seenChannels: null, fresh: new Set(),
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'html') node.innerHTML = v; // only ever server-escaped HTML
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function toast(text, bad) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('bad', !!bad);
    s.classList.add('show');
    clearTimeout(toast.t);
    toast.t = setTimeout(() => s.classList.remove('show'), bad ? 6000 : 2500);
  }

  async function post(path, body) {
    try {
      const r = await fetch('/sandbox/api/' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const data = await r.json().catch(() => ({}));
      if (!r.ok) { toast(data.error || ('Failed: HTTP ' + r.status), true); return false; }
      return true;
    } catch (e) { toast('The sandbox is not answering: is it still running?', true); return false; }
    finally { refresh(); }
  }

  function query() {
    const q = new URLSearchParams();
    if (ui.user) q.set('user', ui.user);
    if (ui.channel) q.set('channel', ui.channel);
    if (ui.thread) q.set('thread', ui.thread);
    return q;
  }

  async function refresh() {
    if (ui.busy) { ui.again = true; return; }
    ui.busy = true;
    try {
      const q = query();
      const asked = q.toString();
      const r = await fetch('/sandbox/api/state?' + q);
      // A person who switched user, channel or thread meanwhile gets the next answer, not this stale one.
      if (r.ok) { const state = await r.json(); if (asked === query().toString()) render(state); else ui.again = true; }
    } catch (e) { /* the next poll tries again */ }
    finally {
      ui.busy = false;
      if (ui.again) { ui.again = false; refresh(); }
    }
  }

  // Re-focus the element that had focus (by data-focus key) after a container was rebuilt.
  function keepFocus(container, rebuild) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.getAttribute('data-focus') : null;
    rebuild();
    if (key) { const again = container.querySelector('[data-focus="' + CSS.escape(key) + '"]'); if (again) again.focus(); }
  }

  function render(state) {
    ui.state = state;
    renderModal(state.me ? state.modal : null);
    renderPeople(state);
    renderShortcuts(state.me ? state.shortcuts : []);
    const me = state.me;
    if (!me && ui.user) { ui.user = ''; syncUrl(); }
    document.body.dataset.ready = 'true';
    $('welcome').hidden = !!me;
    if (!me) {
      $('messages').hidden = $('composer').hidden = $('drafts').hidden = $('join-bar').hidden = $('app-home').hidden = true; $('thread').hidden = true;
      $('view-title').textContent = 'Welcome to the sandbox'; $('view-topic').textContent = '';
      renderChannels(state); renderDraftCount(state);
      return;
    }
    if (!state.channel && state.channels.length && ui.view === 'channel') {
      const general = state.channels.find((c) => c.isMember && !c.isArchived) || state.channels[0];
      ui.channel = general.id; syncUrl(); refresh();
    }
    renderChannels(state);
    renderDraftCount(state);
    $('app-home-link').setAttribute('aria-current', ui.view === 'home' ? 'page' : 'false');
    $('app-home').hidden = ui.view !== 'home';
    if (ui.view === 'home') {
      $('messages').hidden = $('composer').hidden = $('join-bar').hidden = $('drafts').hidden = true; $('thread').hidden = true;
      $('view-title').textContent = 'IncidentBot';
      $('view-topic').textContent = 'Home';
      renderHome(state.home);
      return;
    }
    if (ui.view === 'drafts') {
      $('messages').hidden = $('composer').hidden = $('join-bar').hidden = true; $('drafts').hidden = false; $('thread').hidden = true;
      $('view-title').textContent = 'Post-mortem drafts';
      $('view-topic').textContent = 'Compiled by the bot when an incident is closed, from the pinned messages and section reactions.';
      renderDrafts(state);
      return;
    }
    $('drafts').hidden = true;
    const channel = state.channel;
    $('messages').hidden = !channel;
    $('composer').hidden = !channel || !channel.isMember;
    $('join-bar').hidden = !channel || channel.isMember;
    if (!channel) { $('view-title').textContent = 'No channel'; return; }
    $('join-text').textContent = 'You are not in #' + channel.name + ' yet.';
    $('join-button').textContent = 'Join #' + channel.name;
    $('view-title').textContent = '#' + channel.name;
    $('view-topic').textContent = channel.topic || (channel.members + ' members');
    $('composer-label').textContent = 'Message #' + channel.name;
    $('composer-input').placeholder = channel.isArchived ? 'This channel is archived' : 'Message #' + channel.name;
    $('composer-input').disabled = channel.isArchived;
    renderItems($('messages'), state.items, false);
    const thread = state.thread;
    $('thread').hidden = !thread;
    document.body.classList.toggle('with-thread', !!thread);
    if (thread) {
      $('thread-topic').textContent = '#' + channel.name;
      renderItems($('thread-messages'), [thread.parent, ...thread.replies], true);
    } else if (ui.thread) { ui.thread = null; }
  }

  // The modal the person sees, over everything. Redrawn only when the view itself changed (another id or hash, new
  // errors): a poll must not wipe what the person is typing. What was typed goes to the server with every click.
  function renderModal(modal) {
    const box = $('modal');
    if (!modal) { box.hidden = true; box.dataset.sig = ''; return; }
    const sig = JSON.stringify([modal.id, modal.hash, modal.blocks.map((b) => b.input && b.input.error)]);
    const fresh = box.hidden || box.dataset.viewId !== modal.id;
    box.hidden = false;
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    box.dataset.viewId = modal.id;
    $('modal-title').textContent = modal.title;
    $('modal-submit').hidden = !modal.submit;
    $('modal-submit').textContent = modal.submit || '';
    $('modal-close').textContent = modal.close;
    $('modal-body').replaceChildren(...modal.blocks.map(modalBlock));
    if (fresh) { const first = $('modal-body').querySelector('.modal-input, button') || $('modal-close'); first.focus(); }
  }

  // The Home tab the app published for the person, drawn with the modal's blocks; its buttons reach the bot as
  // block_actions from the home view.
  function renderHome(home) {
    const box = $('app-home');
    const sig = JSON.stringify(home);
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    if (!home) { box.replaceChildren(el('p', { class: 'empty', text: 'IncidentBot has not published a Home tab for you yet.' })); box.dataset.viewId = ''; return; }
    box.dataset.viewId = home.id;
    keepFocus(box, () => box.replaceChildren(...home.blocks.map((b, i) => {
      const node = modalBlock(b, i);
      node.querySelectorAll('button[data-action-id]').forEach((x) => x.setAttribute('data-focus', 'h' + x.dataset.blockId + '/' + x.dataset.actionId));
      return node;
    })));
  }

  function openHome() {
    ui.view = 'home'; ui.thread = null; ui.moreFor = null; closeMenu();
    // Slack sends app_home_opened each time the person enters the tab: once per visit, never per poll.
    post('home/open', { user: ui.user });
  }

  // The ⚡ menu next to the composer: the app's global shortcuts.
  function renderShortcuts(shortcuts) {
    const globals = (shortcuts || []).filter((x) => x.type === 'global');
    const menu = $('shortcuts-menu');
    $('shortcuts-button').hidden = !globals.length;
    const sig = JSON.stringify(globals);
    if (menu.dataset.sig === sig) return;
    menu.dataset.sig = sig;
    menu.replaceChildren(el('p', { class: 'menu-title', text: 'IncidentBot' }),
      ...globals.map((x) => el('button', { type: 'button', class: 'shortcut', role: 'menuitem', 'data-callback-id': x.callbackId, text: x.name })));
  }

  function toggleShortcuts(open) {
    const menu = $('shortcuts-menu');
    menu.hidden = !open;
    $('shortcuts-button').setAttribute('aria-expanded', String(open));
    if (open) { const first = menu.querySelector('.shortcut'); if (first) first.focus(); }
  }

  function messageShortcuts() { return ((ui.state && ui.state.shortcuts) || []).filter((x) => x.type === 'message'); }

  // Slack shows a button's confirm dialog before anything reaches the bot; Cancel sends nothing.
  function confirmThen(c, action) {
    ui.confirming = action;
    $('confirm-title').textContent = c.title;
    $('confirm-text').textContent = c.text;
    $('confirm-yes').textContent = c.yes || 'Confirm';
    $('confirm-no').textContent = c.no || 'Cancel';
    $('confirm-dialog').hidden = false;
    $('confirm-yes').focus();
  }

  function closeConfirm(confirmed) {
    const action = ui.confirming;
    ui.confirming = null;
    $('confirm-dialog').hidden = true;
    if (confirmed && action) action();
  }

  function onMessageButton(button) {
    const article = button.closest('article.msg');
    const ts = article && article.dataset.ts;
    if (!ts) { toast('Buttons in messages only you see are not clickable in the sandbox.', true); return; }
    const click = () => post('messages/action', { user: ui.user, channel: ui.channel, ts, actionId: button.dataset.actionId, blockId: button.dataset.blockId || null });
    const d = button.dataset;
    if (d.confirmTitle !== undefined) confirmThen({ title: d.confirmTitle, text: d.confirmText, yes: d.confirmYes, no: d.confirmNo }, click);
    else click();
  }

  function modalBlock(b, index) {
    const attrs = (cls) => ({ class: 'modal-block ' + cls, 'data-block-id': b.blockId, 'data-type': b.type });
    const buttons = () => b.buttons.map((x) => el('button', { type: 'button', class: 'modal-button' + (x.style ? ' ' + x.style : ''), 'data-action-id': x.actionId, 'data-block-id': b.blockId, text: x.text }));
    switch (b.type) {
      case 'header': return el('h3', Object.assign(attrs('modal-header'), { html: b.html }));
      case 'divider': return el('hr', attrs('modal-divider'));
      case 'context': return el('div', Object.assign(attrs('modal-context'), { html: b.html }));
      case 'actions': return el('div', attrs('modal-actions'), ...buttons());
      case 'section': return el('div', attrs('modal-section'),
        el('div', { class: 'modal-section-main' },
          b.html ? el('div', { class: 'modal-text', html: b.html }) : null,
          b.fields.length ? el('div', { class: 'modal-fields' }, ...b.fields.map((f) => el('div', { class: 'modal-field', html: f }))) : null),
        ...buttons());
      case 'input': return modalInput(b, index);
      default: return el('div', attrs('modal-unsupported'), el('em', { text: '(' + b.type + ' block: not drawn by the sandbox)' }));
    }
  }

  function modalInput(b, index) {
    const i = b.input;
    const id = 'modal-input-' + index;
    const data = { id, class: 'modal-input', 'data-block-id': b.blockId, 'data-action-id': i.actionId, 'aria-invalid': i.error ? 'true' : null,
      'aria-describedby': [i.hint ? id + '-hint' : null, i.error ? id + '-error' : null].filter(Boolean).join(' ') || null };
    let field;
    if (i.elementType === 'plain_text_input') {
      field = el(i.multiline ? 'textarea' : 'input', Object.assign(data, { type: i.multiline ? null : 'text', rows: i.multiline ? '4' : null, placeholder: i.placeholder }));
      field.value = i.value || '';
    } else if (i.elementType === 'static_select') {
      field = el('select', data, el('option', { value: '', text: i.placeholder || 'Choose…' }),
        ...i.options.map((o) => el('option', { value: o.value, text: o.text, selected: o.value === i.value })));
      field.value = i.value || '';
    } else if (i.elementType === 'users_select') {
      // Slack's people picker: here, the sandbox's people.
      field = el('select', data, el('option', { value: '', text: i.placeholder || 'Choose a person…' }),
        ...ui.state.people.map((p) => el('option', { value: p.id, text: p.name, selected: p.id === i.value })));
      field.value = i.value || '';
    } else if (i.elementType === 'datepicker' || i.elementType === 'timepicker') {
      field = el('input', Object.assign(data, { type: i.elementType === 'datepicker' ? 'date' : 'time' }));
      field.value = i.value || '';
    } else {
      field = el('em', { class: 'modal-unsupported', text: '(' + i.elementType + ': not drawn by the sandbox)' });
    }
    return el('div', { class: 'modal-block modal-input-block' + (i.error ? ' has-error' : ''), 'data-block-id': b.blockId, 'data-type': 'input' },
      el('label', { for: id, class: 'modal-label' }, document.createTextNode(i.label), i.optional ? el('span', { class: 'modal-optional', text: ' (optional)' }) : null),
      field,
      i.hint ? el('p', { id: id + '-hint', class: 'modal-hint', text: i.hint }) : null,
      i.error ? el('p', { id: id + '-error', class: 'modal-error', role: 'alert', text: i.error }) : null);
  }

  function modalValues() {
    return [...$('modal-body').querySelectorAll('.modal-input')].map((f) => ({ blockId: f.dataset.blockId, actionId: f.dataset.actionId, value: f.value }));
  }

  async function modalAct(path, body, button) {
    if (button) button.disabled = true;
    try { await post(path, Object.assign({ user: ui.user, viewId: $('modal').dataset.viewId }, body)); } finally { if (button) button.disabled = false; }
  }

  function renderPeople(state) {
    const select = $('user-select');
    const sig = JSON.stringify(state.people) + ui.user;
    if (select.dataset.sig !== sig) {
      select.replaceChildren(el('option', { value: '', text: 'Choose…' }),
        ...state.people.map((p) => el('option', { value: p.id, text: p.name, selected: p.id === ui.user })));
      select.dataset.sig = sig;
    }
    select.value = ui.user;
  }

  function renderChannels(state) {
    const list = $('channel-list');
    const ids = state.channels.map((c) => c.id);
    if (ui.seenChannels) ids.filter((id) => !ui.seenChannels.has(id)).forEach((id) => ui.fresh.add(id));
    ui.seenChannels = state.me ? new Set(ids) : null;
    ui.fresh.delete(ui.channel);
    const sig = JSON.stringify([state.channels, ui.channel, ui.view, [...ui.fresh]]);
    if (list.dataset.sig === sig) return;
    list.dataset.sig = sig;
    keepFocus(list, () => list.replaceChildren(...state.channels.map((c) => {
      const current = ui.view === 'channel' && c.id === ui.channel;
      const button = el('button', { type: 'button', class: 'channel' + (ui.fresh.has(c.id) ? ' fresh' : '') + (c.isArchived ? ' archived' : '') + (c.isMember ? '' : ' not-member'),
        'data-channel': c.id, 'data-focus': 'c' + c.id, 'aria-current': current ? 'page' : null, 'aria-label': c.isMember ? null : c.name + ', not joined' },
      el('span', { class: 'hash', 'aria-hidden': 'true', text: c.isPrivate ? '🔒' : '#' }), el('span', { class: 'name', text: c.name }),
      ui.fresh.has(c.id) ? el('span', { class: 'badge', text: 'new' }) : (c.isMember ? null : el('span', { class: 'join-hint', 'aria-hidden': 'true', text: 'join' })));
      return el('li', {}, button);
    })));
    if (!state.me) list.replaceChildren(el('li', { class: 'side-empty', text: 'Choose who you are to see your channels.' }));
  }

  function renderDraftCount(state) {
    const badge = $('drafts-count');
    badge.hidden = !state.drafts.length;
    badge.textContent = state.drafts.length;
    $('drafts-link').setAttribute('aria-current', ui.view === 'drafts' ? 'page' : 'false');
    $('drafts-link').setAttribute('aria-label', 'Drafts, ' + state.drafts.length + ' published');
  }

  function renderDrafts(state) {
    const box = $('drafts');
    const sig = JSON.stringify(state.drafts.map((d) => [d.incidentId, d.html]));
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    if (!state.drafts.length) {
      box.replaceChildren(el('p', { class: 'empty', text: 'No draft yet. Close an incident with /incident close and its draft appears here within seconds.' }));
      return;
    }
    box.replaceChildren(...state.drafts.map((d) => el('article', { class: 'draft', 'aria-labelledby': 'draft-' + d.incidentId, 'data-incident': d.incidentId },
      el('header', { class: 'draft-header' },
        el('h2', { id: 'draft-' + d.incidentId }, el('span', { class: 'ref', text: d.reference }), document.createTextNode(' ' + d.title)),
        el('a', { href: d.markdownUrl, class: 'button-link', text: 'Markdown file', 'aria-label': 'Markdown file of ' + d.reference })),
      el('div', { class: 'markdown', html: d.html }))));
  }

  function fmtTime(seconds) {
    if (!seconds) return '';
    return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function renderItems(container, items, inThread) {
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    const wanted = new Map();
    items.forEach((item, i) => {
      const key = (inThread && i === 0 ? 'p' : '') + item.key;
      const editing = ui.editing === item.ts && item.ts && !(inThread && i === 0);
      const more = ui.moreFor === key && !!item.ts;
      wanted.set(key, { item, sig: JSON.stringify(item) + (editing ? 'E' : '') + (more ? 'M' : ''), editing, more, parent: inThread && i === 0 });
    });
    for (const node of [...container.children]) if (!wanted.has(node.dataset.key)) node.remove();
    let i = 0;
    for (const [key, w] of wanted) {
      let node = container.children[i];
      if (!node || node.dataset.key !== key) {
        const existing = [...container.children].find((n) => n.dataset.key === key);
        if (existing) { container.insertBefore(existing, node || null); node = existing; }
      }
      if (!node || node.dataset.key !== key || node.dataset.sig !== w.sig) {
        const fresh = messageNode(key, w, inThread);
        if (node && node.dataset.key === key) {
          const focusKey = node.contains(document.activeElement) ? document.activeElement.getAttribute('data-focus') : null;
          node.replaceWith(fresh);
          if (focusKey) { const again = fresh.querySelector('[data-focus="' + CSS.escape(focusKey) + '"]'); if (again) again.focus(); }
        } else {
          container.insertBefore(fresh, container.children[i] || null);
        }
      }
      i++;
    }
    if (!items.length) container.replaceChildren(el('p', { class: 'empty', 'data-key': 'empty', text: 'No messages yet. Say hello, or type /incident start …' }));
    if (atBottom || container.dataset.first !== ui.channel) { container.scrollTop = container.scrollHeight; container.dataset.first = ui.channel; }
  }

  function messageNode(key, w, inThread) {
    const m = w.item;
    const classes = ['msg', m.isBot ? 'bot' : '', m.kind, m.pinned ? 'pinned' : '', w.parent ? 'parent' : '', w.more ? 'more-open' : ''].filter(Boolean).join(' ');
    const node = el('article', { class: classes, 'data-key': key, 'data-sig': w.sig, 'data-ts': m.ts, 'aria-label': m.author + (m.kind === 'ephemeral' ? ', only visible to you' : '') });
    const head = el('header', { class: 'msg-head' },
      el('span', { class: 'author', text: m.author }),
      m.isBot ? el('span', { class: 'app-tag', text: 'APP' }) : null,
      el('time', { text: fmtTime(m.at), datetime: m.at ? new Date(m.at * 1000).toISOString() : null }),
      m.edited ? el('span', { class: 'edited', text: '(edited)' }) : null,
      m.pinned ? el('span', { class: 'pin-tag', text: '📌 pinned' }) : null);
    const body = el('div', { class: 'msg-body' }, head);
    if (m.kind === 'ephemeral') body.append(el('p', { class: 'only-you' }, el('span', { 'aria-hidden': 'true', text: '👁 ' }), document.createTextNode('Only visible to you' + (m.note ? ' · ' + m.note : ''))));
    else if (m.note) body.append(el('p', { class: 'only-you', text: m.note }));
    if (w.editing) {
      const area = el('textarea', { class: 'edit-input', 'aria-label': 'Edit your message', 'data-focus': 'edit' });
      area.value = unescapeText(m.html);
      body.append(el('form', { class: 'edit-form', 'data-ts': m.ts }, area,
        el('div', { class: 'edit-buttons' }, el('button', { type: 'button', 'data-act': 'cancel-edit', class: 'secondary', text: 'Cancel' }), el('button', { type: 'submit', text: 'Save' }))));
      setTimeout(() => { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }, 0);
    } else {
      body.append(el('div', { class: 'msg-text', html: m.html }));
    }
    if (m.reactions.length) {
      body.append(el('ul', { class: 'reactions', 'aria-label': 'Reactions' }, ...m.reactions.map((r) => el('li', {},
        el('button', { type: 'button', class: 'reaction' + (r.mine ? ' mine' : ''), 'data-act': 'toggle', 'data-name': r.name, 'data-mine': r.mine ? '1' : '0',
          'data-focus': 'r' + r.name, 'aria-pressed': r.mine ? 'true' : 'false', title: r.label,
          'aria-label': r.name.replace(/_/g, ' ') + ', ' + r.count + (r.count === 1 ? ' person: ' : ' people: ') + r.label },
        el('span', { 'aria-hidden': 'true', text: r.emoji }), el('span', { class: 'count', 'aria-hidden': 'true', text: r.count }))))));
    }
    if (!inThread && m.replyCount > 0) {
      body.append(el('button', { type: 'button', class: 'replies', 'data-act': 'thread', 'data-focus': 'replies', text: m.replyCount + (m.replyCount === 1 ? ' reply' : ' replies') }));
    }
    const avatar = el('div', { class: 'avatar', 'aria-hidden': 'true', text: m.isBot ? '🤖' : m.authorInitials });
    node.append(avatar, body);
    if (m.ts && m.kind !== 'ephemeral' && m.kind !== 'system' && !w.editing) node.append(actions(m, inThread, w.parent, w.more));
    return node;
  }

  function actions(m, inThread, isParent, more) {
    const mine = (name) => m.reactions.some((r) => r.name === name && r.mine);
    const bar = el('div', { class: 'msg-actions', role: 'group', 'aria-label': 'Actions on the message from ' + m.author });
    for (const [name, emoji, label] of QUICK) {
      const on = mine(name);
      bar.append(el('button', { type: 'button', class: 'act act-' + name.replace(/[^a-z_]/g, 'plus'), 'data-act': 'toggle', 'data-name': name, 'data-mine': on ? '1' : '0',
        'data-focus': 'a' + name, 'aria-pressed': on ? 'true' : 'false', title: (on ? 'Remove ' : '') + label + ' :' + name + ':', 'aria-label': (on ? 'Remove ' : 'React ') + label + ' (' + name.replace(/_/g, ' ') + ')' },
      el('span', { 'aria-hidden': 'true', text: emoji })));
    }
    if (!inThread) bar.append(el('button', { type: 'button', class: 'act act-thread', 'data-act': 'thread', 'data-focus': 'athread', title: 'Reply in thread', 'aria-label': 'Reply in thread' }, el('span', { 'aria-hidden': 'true', text: '💬' })));
    if (m.mine && !isParent) {
      bar.append(el('button', { type: 'button', class: 'act act-edit', 'data-act': 'edit', 'data-focus': 'aedit', title: 'Edit', 'aria-label': 'Edit your message' }, el('span', { 'aria-hidden': 'true', text: '✏️' })));
      bar.append(el('button', { type: 'button', class: 'act act-delete', 'data-act': 'delete', 'data-focus': 'adelete', title: 'Delete', 'aria-label': 'Delete your message' }, el('span', { 'aria-hidden': 'true', text: '🗑️' })));
    }
    const shortcuts = messageShortcuts();
    if (shortcuts.length) {
      bar.append(el('button', { type: 'button', class: 'act act-more', 'data-act': 'more', 'data-focus': 'amore', title: 'More actions', 'aria-label': 'More actions',
        'aria-haspopup': 'menu', 'aria-expanded': more ? 'true' : 'false' }, el('span', { 'aria-hidden': 'true', text: '⋯' })));
      if (more) {
        bar.append(el('div', { class: 'menu more-menu', role: 'menu', 'aria-label': 'More actions' }, el('p', { class: 'menu-title', text: 'IncidentBot' }),
          ...shortcuts.map((x) => el('button', { type: 'button', class: 'message-shortcut', role: 'menuitem', 'data-act': 'shortcut', 'data-callback-id': x.callbackId,
            'data-focus': 's' + x.callbackId, text: x.name }))));
      }
    }
    return bar;
  }

  // The edit box starts from the shown text (mentions as names): good enough for a sandbox.
  function unescapeText(html) {
    const div = document.createElement('div');
    div.innerHTML = html.replace(/<br>/g, '\n');
    return div.textContent;
  }

  function syncUrl() {
    const q = new URLSearchParams();
    if (ui.user) q.set('as', ui.user);
    if (ui.channel) q.set('channel', ui.channel);
    history.replaceState(null, '', q.toString() ? '?' + q : location.pathname);
    if (ui.user) sessionStorage.setItem('sandbox-user', ui.user); else sessionStorage.removeItem('sandbox-user');
  }

  function chooseUser(id) {
    ui.user = id; ui.thread = null; ui.editing = null; ui.seenChannels = null; ui.fresh.clear();
    $('messages').replaceChildren(); $('thread-messages').replaceChildren();
    syncUrl(); refresh().then(() => $('composer-input').focus());
  }

  function openChannel(id) {
    ui.channel = id; ui.view = 'channel'; ui.thread = null; ui.editing = null; ui.moreFor = null;
    $('messages').replaceChildren(); $('thread-messages').replaceChildren();
    closeMenu(); syncUrl();
    refresh().then(() => $('composer-input').focus());
  }

  function closeMenu() { document.body.classList.remove('menu-open'); $('menu-toggle').setAttribute('aria-expanded', 'false'); }

  async function send(input, threadTs) {
    const text = input.value;
    if (!text.trim() || !ui.user || !ui.channel) return;
    input.value = ''; grow(input);
    const ok = await post('messages', { user: ui.user, channel: ui.channel, text, threadTs });
    if (!ok) { input.value = text; grow(input); }
  }

  function grow(area) { area.style.height = 'auto'; area.style.height = Math.min(area.scrollHeight, 200) + 'px'; }

  function wireComposer(form, input, threadTs) {
    form.addEventListener('submit', (e) => { e.preventDefault(); send(input, threadTs()); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(input, threadTs()); }
    });
    input.addEventListener('input', () => grow(input));
  }

  function onMessageClick(e) {
    const messageButton = e.target.closest('button.msg-button');
    if (messageButton) { onMessageButton(messageButton); return; }
    const button = e.target.closest('button[data-act]');
    if (!button) return;
    const article = button.closest('article.msg');
    const ts = article && article.dataset.ts;
    const act = button.dataset.act;
    if (act === 'cancel-edit') { ui.editing = null; render(ui.state); article.querySelector('.act-edit, .msg-text'); return; }
    if (!ts) return;
    if (act === 'toggle') post('reactions', { user: ui.user, channel: ui.channel, ts, name: button.dataset.name, add: button.dataset.mine !== '1' });
    else if (act === 'thread') { ui.thread = ts; refresh().then(() => $('thread-input').focus()); }
    else if (act === 'edit') { ui.editing = ts; render(ui.state); }
    else if (act === 'more') { ui.moreFor = ui.moreFor === article.dataset.key ? null : article.dataset.key; render(ui.state); }
    else if (act === 'shortcut') { ui.moreFor = null; render(ui.state); post('shortcuts/message', { user: ui.user, channel: ui.channel, ts, callbackId: button.dataset.callbackId }); }
    else if (act === 'delete') { if (confirm('Delete this message?')) post('messages/delete', { user: ui.user, channel: ui.channel, ts }); }
  }

  function onEditSubmit(e) {
    if (!e.target.matches('.edit-form')) return;
    e.preventDefault();
    const ts = e.target.dataset.ts;
    const text = e.target.querySelector('textarea').value;
    ui.editing = null;
    post('messages/edit', { user: ui.user, channel: ui.channel, ts, text });
  }

  function onEditKey(e) {
    if (!e.target.matches('.edit-input')) return;
    if (e.key === 'Escape') { ui.editing = null; render(ui.state); }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); e.target.form.requestSubmit(); }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('user-select').addEventListener('change', (e) => chooseUser(e.target.value));
    document.querySelectorAll('.person').forEach((b) => b.addEventListener('click', () => chooseUser(b.dataset.user)));
    $('channel-list').addEventListener('click', (e) => { const b = e.target.closest('[data-channel]'); if (b) openChannel(b.dataset.channel); });
    $('app-home-link').addEventListener('click', openHome);
    $('app-home').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-action-id]');
      if (b) post('views/action', { user: ui.user, viewId: $('app-home').dataset.viewId, actionId: b.dataset.actionId, blockId: b.dataset.blockId, values: [] });
    });
    $('shortcuts-button').addEventListener('click', () => toggleShortcuts($('shortcuts-menu').hidden));
    $('shortcuts-menu').addEventListener('click', (e) => {
      const b = e.target.closest('.shortcut');
      if (!b) return;
      toggleShortcuts(false);
      post('shortcuts/global', { user: ui.user, callbackId: b.dataset.callbackId });
    });
    $('shortcuts-menu').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); toggleShortcuts(false); $('shortcuts-button').focus(); } });
    // A click elsewhere closes the open menus, as in Slack.
    document.addEventListener('click', (e) => {
      if (!$('shortcuts-menu').hidden && !e.target.closest('#shortcuts-menu, #shortcuts-button')) toggleShortcuts(false);
      if (ui.moreFor && !e.target.closest('.act-more, .more-menu')) { ui.moreFor = null; render(ui.state); }
    });
    $('confirm-yes').addEventListener('click', () => closeConfirm(true));
    $('confirm-no').addEventListener('click', () => closeConfirm(false));
    $('confirm-dialog').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); closeConfirm(false); } });
    $('drafts-link').addEventListener('click', () => { ui.view = 'drafts'; ui.thread = null; closeMenu(); refresh(); $('drafts').focus(); });
    $('menu-toggle').addEventListener('click', () => {
      const open = document.body.classList.toggle('menu-open');
      $('menu-toggle').setAttribute('aria-expanded', String(open));
      if (open) { const first = $('sidebar').querySelector('button'); if (first) first.focus(); }
    });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && document.body.classList.contains('menu-open')) { closeMenu(); $('menu-toggle').focus(); } });
    $('thread-close').addEventListener('click', () => { ui.thread = null; render(ui.state); refresh(); $('composer-input').focus(); });
    for (const box of [$('messages'), $('thread-messages')]) {
      box.addEventListener('click', onMessageClick);
      box.addEventListener('submit', onEditSubmit);
      box.addEventListener('keydown', onEditKey);
    }
    $('drafts').tabIndex = -1;
    wireComposer($('composer'), $('composer-input'), () => null);
    $('join-button').addEventListener('click', async () => {
      if (await post('channels/join', { user: ui.user, channel: ui.channel })) { refresh().then(() => $('composer-input').focus()); }
    });
    wireComposer($('thread-composer'), $('thread-input'), () => ui.thread);
    $('modal-body').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-action-id]');
      if (b) modalAct('views/action', { actionId: b.dataset.actionId, blockId: b.dataset.blockId, values: modalValues() }, b);
    });
    $('modal-form').addEventListener('submit', (e) => { e.preventDefault(); modalAct('views/submit', { values: modalValues() }, $('modal-submit')); });
    $('modal-close').addEventListener('click', () => modalAct('views/close', {}, $('modal-close')));
    $('modal').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); modalAct('views/close', {}, $('modal-close')); } });
    refresh();
    setInterval(refresh, 1000);
  });
})();
