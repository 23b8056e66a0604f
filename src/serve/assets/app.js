/* app.js: the page of truce serve. Everything shown is put in as text (never
 * as HTML); plots come as SVG images; the operator's key and the seat tokens
 * travel in an Authorization header, never in a request's address. */
'use strict';
(function () {
  const app = document.getElementById('app');
  const where = document.getElementById('where');
  let operatorKey = sessionStorage.getItem('truce-key');
  let info = null;
  let current = null; /* the view running now: {stop()} */

  /* ---- helpers ---- */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'class') node.className = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
      else if (k === 'data') for (const [dk, dv] of Object.entries(v)) node.dataset[dk] = dv;
      else if (k === 'value') node.value = v;
      else if (k === 'style') node.style.cssText = v; /* CSSOM: the page's CSP allows no style attribute */
      else if (k === 'disabled' || k === 'selected' || k === 'multiple' || k === 'checked') node[k] = !!v;
      else node.setAttribute(k, v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function fmt(x, digits) {
    return typeof x === 'number' && isFinite(x) ? x.toFixed(digits === undefined ? 3 : digits) : '—';
  }

  function clock(seconds) {
    if (!(seconds >= 0)) return '—';
    const s = Math.max(0, Math.round(seconds));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  async function api(method, path, body, token) {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit'});
    let data = null;
    const type = res.headers.get('Content-Type') || '';
    if (type.startsWith('application/json')) data = await res.json();
    else data = await res.text();
    if (!res.ok) {
      const err = new Error(data && data.error ? data.error : 'HTTP ' + res.status);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  /* An SVG plot, fetched with the token and shown as an image (an image runs no script). */
  async function plot(path, token, alt) {
    const res = await fetch(path, {headers: token ? {Authorization: 'Bearer ' + token} : {}, cache: 'no-store'});
    if (!res.ok) return null;
    const blob = await res.blob();
    return el('img', {src: URL.createObjectURL(blob), alt: alt, class: 'plot'});
  }

  async function plots(container, pathOf, token, what) {
    for (let k = 0; k < 24; k++) {
      const img = await plot(pathOf(k), token, what + ' ' + (k + 1));
      if (!img) break;
      container.append(img);
    }
  }

  function outcomeList(outcome, changedFrom) {
    if (!outcome) return el('p', {class: 'muted', text: 'none'});
    const rows = Object.entries(outcome).map(([issue, option]) =>
      el('tr', {class: changedFrom && changedFrom[issue] !== undefined && changedFrom[issue] !== option ? 'changed' : null},
        el('th', {text: issue}), el('td', {text: String(option)})));
    return el('table', {class: 'outcome'}, el('tbody', {}, rows));
  }

  function rememberSeat(sid, token, label) {
    const seats = JSON.parse(localStorage.getItem('truce-seats') || '[]').filter(s => s.sid !== sid || s.token !== token);
    seats.unshift({sid, token, label, at: Date.now()});
    localStorage.setItem('truce-seats', JSON.stringify(seats.slice(0, 20)));
  }

  function absolute(link) {
    return location.origin + link;
  }

  function stopCurrent() {
    if (current && current.stop) current.stop();
    current = null;
  }

  function show(...nodes) {
    app.replaceChildren(...nodes);
    window.scrollTo(0, 0);
  }

  /* A button that acts on the second click. */
  function armed(button, label, armedLabel, act) {
    let timer = null;
    button.addEventListener('click', () => {
      if (button.classList.contains('armed')) {
        clearTimeout(timer);
        button.classList.remove('armed');
        button.textContent = label;
        act();
      } else {
        button.classList.add('armed');
        button.textContent = armedLabel;
        timer = setTimeout(() => { button.classList.remove('armed'); button.textContent = label; }, 4000);
      }
    });
  }

  /* ---- routing ---- */

  function route() {
    stopCurrent();
    const h = location.hash;
    let m;
    if (h.startsWith('#key=')) {
      operatorKey = decodeURIComponent(h.slice(5));
      sessionStorage.setItem('truce-key', operatorKey);
      history.replaceState(null, '', '#/');
      return home();
    }
    if ((m = h.match(/^#\/seat\/([0-9a-f]{32})\/([0-9a-f]{64})$/))) return table(m[1], m[2], false);
    if ((m = h.match(/^#\/observe\/([0-9a-f]{32})$/))) return table(m[1], operatorKey, true);
    if ((m = h.match(/^#\/join\/([0-9a-f]{32})\/([0-9a-f]{32})$/))) return join(m[1], m[2]);
    if ((m = h.match(/^#\/scenario\/(.+)$/))) return scenario(decodeURIComponent(m[1]));
    return home();
  }

  /* ---- the operator's home ---- */

  function yourSeats() {
    const seats = JSON.parse(localStorage.getItem('truce-seats') || '[]');
    if (!seats.length) return null;
    return el('div', {class: 'card', id: 'your-seats'}, el('h2', {text: 'Your seats'}),
      el('ul', {}, seats.map(s => el('li', {}, el('a', {href: '#/seat/' + s.sid + '/' + s.token, text: s.label || s.sid})))),
      el('p', {class: 'muted', text: 'A seat you left can be taken up again until its turn times out.'}));
  }

  async function home() {
    where.textContent = 'at the negotiating table';
    if (!operatorKey) {
      show(el('h1', {text: 'truce: at the negotiating table'}),
        el('div', {class: 'card'}, el('p', {text: 'Open the address that truce serve printed (it carries the operator\'s key), or the link you were given for your seat.'})),
        yourSeats());
      return;
    }
    const scenarios = el('div', {id: 'scenarios'}, el('p', {class: 'muted', text: 'Loading…'}));
    const sessions = el('div', {id: 'sessions'});
    const experiments = el('div', {id: 'experiments'});
    const uploadError = el('p', {id: 'upload-error', class: 'error', role: 'alert'});
    const uploadOk = el('p', {id: 'upload-ok', class: 'ok'});
    const files = el('input', {type: 'file', id: 'upload-files', multiple: true, accept: '.yaml,.yml,.xml,.json'});
    const uploadButton = el('button', {id: 'upload-button', text: 'Upload'});
    uploadButton.addEventListener('click', () => upload(files, uploadError, uploadOk));
    const definition = el('textarea', {id: 'experiment-definition', spellcheck: 'false'});
    definition.value = JSON.stringify({
      name: 'my study', sessions: 4, seed: 1,
      session: {scenario: 'SCENARIO-ID', protocol: 'negotiation',
        seats: [{party: 'PARTY-A', kind: 'person'}, {party: 'PARTY-B', kind: 'agent', agent: 'boulware'}],
        deadline: {rounds: 20}, reveal: 'own', debrief: true}}, null, 2);
    const experimentError = el('p', {id: 'experiment-error', class: 'error'});
    const experimentButton = el('button', {id: 'experiment-create', text: 'Create the experiment'});
    experimentButton.addEventListener('click', async () => {
      experimentError.textContent = '';
      let def;
      try { def = JSON.parse(definition.value); } catch (e) { experimentError.textContent = 'Not JSON: ' + e.message; return; }
      try {
        await api('POST', '/api/experiments', def, operatorKey);
        refresh();
      } catch (e) { experimentError.textContent = e.message; }
    });
    show(el('h1', {text: 'Scenarios, sessions and experiments'}),
      el('div', {class: 'grid'},
        el('div', {class: 'card'}, el('h2', {text: 'Scenarios'}), scenarios),
        el('div', {class: 'card'}, el('h2', {text: 'Upload a scenario'}),
          el('p', {class: 'muted', text: 'One native .yaml file, a GENIUS domain with its profiles (.xml), or a GeniusWeb domain with its profiles (.json). It is checked as the command line checks it.'}),
          files, uploadButton, uploadError, uploadOk)),
      el('div', {class: 'card'}, el('h2', {text: 'Sessions'}), sessions,
        el('p', {}, exportButton('sessions'), exportButton('actions'))),
      el('div', {class: 'card'}, el('h2', {text: 'Experiments'}),
        el('p', {class: 'muted', text: 'Many sessions of one definition; people come through one link and each gets the next free seat.'}),
        definition, experimentButton, experimentError, experiments),
      yourSeats());
    async function refresh() {
      try {
        const list = await api('GET', '/api/scenarios', undefined, operatorKey);
        scenarios.replaceChildren(el('ul', {}, list.map(s => el('li', {},
          el('a', {href: '#/scenario/' + encodeURIComponent(s.id), text: s.id, class: 'scenario-link'}),
          s.uploaded ? el('span', {class: 'pill', text: 'uploaded'}) : null,
          s.error ? el('span', {class: 'error', text: ' ' + s.error}) : null))));
      } catch (e) {
        scenarios.replaceChildren(el('p', {class: 'error', text: e.message}));
        return;
      }
      const list = await api('GET', '/api/sessions', undefined, operatorKey);
      sessions.replaceChildren(list.length ? el('table', {}, el('thead', {}, el('tr', {},
        ['session', 'scenario', 'protocol', 'status', 'people'].map(h => el('th', {text: h})))),
      el('tbody', {}, list.map(s => el('tr', {},
        el('td', {}, el('a', {href: '#/observe/' + s.id, text: s.id.slice(0, 8)})),
        el('td', {text: s.scenario}), el('td', {text: s.definition.protocol}),
        el('td', {text: s.status + (s.end ? ' (' + s.end + ')' : '')}),
        el('td', {}, s.people.map(p => el('div', {}, el('a', {href: p.link, text: p.party}),
          p.joined ? ' ✓' : ''))))))) : el('p', {class: 'muted', text: 'No session yet: pick a scenario to start one.'}));
      const xs = await api('GET', '/api/experiments', undefined, operatorKey);
      experiments.replaceChildren(...xs.map(x => el('div', {class: 'experiment'},
        el('h3', {text: x.name}),
        el('p', {}, 'Join link for participants: ', el('span', {class: 'link', text: absolute(x.join)})),
        el('p', {text: x.sessions.length + ' sessions: ' + x.waiting + ' waiting, ' + x.running + ' running, ' + x.ended + ' ended, ' + x.agreements + ' agreements'}),
        el('p', {}, exportButton('sessions', x.id), exportButton('actions', x.id)))));
    }
    current = {stop() {}};
    refresh().catch(e => { scenarios.replaceChildren(el('p', {class: 'error', text: e.message})); });
  }

  function exportButton(table, experiment) {
    const b = el('button', {class: 'secondary', text: 'Export ' + table + ' (CSV)'});
    b.addEventListener('click', async () => {
      const res = await fetch('/api/export?table=' + table + (experiment ? '&experiment=' + experiment : ''),
        {headers: {Authorization: 'Bearer ' + operatorKey}, cache: 'no-store'});
      const blob = await res.blob();
      const a = el('a', {href: URL.createObjectURL(blob), download: table + '.csv'});
      document.body.append(a);
      a.click();
      a.remove();
    });
    return b;
  }

  async function upload(input, errorBox, okBox) {
    errorBox.textContent = '';
    okBox.textContent = '';
    const chosen = Array.from(input.files || []);
    if (!chosen.length) { errorBox.textContent = 'Choose the scenario\'s files first.'; return; }
    const files = [];
    for (const f of chosen) files.push({name: f.name, content: await f.text()});
    try {
      const r = await api('POST', '/api/scenarios', {files}, operatorKey);
      okBox.textContent = 'Uploaded as ' + r.id + '.';
      location.hash = '#/scenario/' + encodeURIComponent(r.id);
    } catch (e) {
      errorBox.textContent = e.message;
    }
  }

  /* ---- a scenario: its analysis, and a new session on it ---- */

  async function scenario(id) {
    where.textContent = 'scenario ' + id;
    if (!operatorKey) return home();
    show(el('p', {class: 'muted', text: 'Analysing ' + id + '…'}));
    let d;
    try {
      [d, info] = await Promise.all([api('GET', '/api/scenario?id=' + encodeURIComponent(id), undefined, operatorKey),
        info ? Promise.resolve(info) : api('GET', '/api/info')]);
    } catch (e) {
      show(el('h1', {text: id}), el('p', {class: 'error', id: 'scenario-error', text: e.message}));
      return;
    }
    const figures = el('div', {class: 'plots', id: 'analysis-plots'});
    show(el('h1', {id: 'scenario-name', text: d.name}),
      el('div', {class: 'grid'}, analysisCard(d), partiesCard(d)),
      sessionForm(d),
      el('div', {class: 'card'}, el('h2', {text: 'Plots'}), figures));
    plots(figures, k => '/api/scenario/plot?id=' + encodeURIComponent(id) + '&k=' + k, operatorKey, 'analysis plot');
  }

  function solutionRows(d) {
    const a = d.analysis;
    return [['Nash', a.nash], ['Kalai–Smorodinsky', a.kalai_smorodinsky], ['max welfare', a.max_welfare]].map(([name, s]) =>
      el('div', {class: 'solution'}, el('h3', {text: name}),
        s && s.outcome ? [outcomeList(s.outcome),
          el('p', {}, 'Utilities: ' + Object.entries(s.utilities).map(([p, u]) => p + ' ' + fmt(u)).join(', '))]
          : el('p', {class: 'muted', text: 'none: no feasible outcome above every BATNA'}),
        el('p', {class: 'muted', text: s ? s.criterion : ''})));
  }

  function analysisCard(d) {
    const a = d.analysis || {};
    const zone = d.check && d.check.zone;
    return el('div', {class: 'card', id: 'analysis'}, el('h2', {text: 'Analysis'}),
      el('p', {}, d.outcomes + ' outcomes, ' + d.feasible + ' feasible (no principal\'s hard condition broken).'),
      a.error ? el('p', {class: 'error', text: a.error}) : [
        el('p', {}, 'Pareto frontier: ' + a.pareto_count + ' outcomes (' + a.method + (a.approximate ? ', approximate' : '') + ').'),
        el('p', {class: a.zopa ? 'ok' : 'warn', id: 'zone',
          text: a.zopa ? 'There is a zone of agreement: some feasible deal beats every principal\'s BATNA.'
            : 'No zone of agreement: no feasible deal beats every principal\'s BATNA.'}),
        zone && zone.relaxations && zone.relaxations.length ? el('div', {},
          el('h3', {text: 'What would open it'}),
          el('ul', {}, zone.relaxations.map(r => el('li', {text: r.relax.map(x => x.kind === 'hard_condition'
            ? 'drop ' + x.party + '\'s hard condition ' + (x.label || x.id)
            : x.party + ' lowers its BATNA by ' + fmt(x.concession)).join(' and ')})))) : null,
        solutionRows(d)]);
  }

  // "a ↔ b", and when the channel has time windows, when it is open
  function channelText(a, b, windows) {
    const mine = (windows || []).filter(w => (w.between[0] === a && w.between[1] === b) || (w.between[0] === b && w.between[1] === a));
    if (!mine.length) return a + ' ↔ ' + b;
    const when = mine.map(w => w.from_day !== undefined
      ? 'days ' + (+w.from_day.toFixed(2)) + '–' + (+w.until_day.toFixed(2))
      : Math.round(100 * w.from) + '%–' + Math.round(100 * w.until) + '% of the time');
    return a + ' ↔ ' + b + ' (open ' + when.join(', ') + ')';
  }

  function partiesCard(d) {
    return el('div', {class: 'card', id: 'parties'}, el('h2', {text: 'Parties'}),
      el('table', {}, el('thead', {}, el('tr', {}, ['party', 'role', 'BATNA', 'hard conditions'].map(h => el('th', {text: h})))),
        el('tbody', {}, d.parties.map(p => el('tr', {},
          el('td', {text: p.label + (p.label !== p.name ? ' (' + p.name + ')' : '')}),
          el('td', {text: p.role}), el('td', {class: 'num', text: fmt(p.reservation)}),
          el('td', {}, p.hard_conditions.map(h => el('div', {class: 'forbidden', text: h.label})),
            Object.entries(p.forbidden).map(([issue, opts]) => el('div', {class: 'muted',
              text: issue + ' never: ' + opts.join(', ')}))))))),
      el('h3', {text: 'Channels'}),
      d.channels.length ? el('ul', {id: 'channels'}, d.channels.map(([a, b]) => el('li', {text: channelText(a, b, d.channel_windows)})))
        : el('p', {class: 'muted', text: 'none declared: everybody may talk to everybody'}));
  }

  function agentOptions(role, protocol) {
    const opts = [el('option', {value: 'person', text: 'a person'})];
    if (role === 'mediator') {
      opts.push(el('option', {value: 'informed', text: 'agent: informed mediator'}),
        el('option', {value: 'uninformed', text: 'agent: uninformed mediator'}));
      return opts;
    }
    if (protocol === 'mediation') {
      opts.push(el('option', {value: 'responder', text: 'agent: the engine\'s responder'}));
      for (const a of info.named_agents) if (a.review) opts.push(el('option', {value: a.name, text: 'agent: ' + a.name}));
      return opts;
    }
    for (const a of info.named_agents) opts.push(el('option', {value: a.name, text: 'agent: ' + a.name}));
    for (const a of info.agents) opts.push(el('option', {value: a.name, text: 'agent: ' + a.name}));
    return opts;
  }

  function sessionForm(d) {
    const principals = d.parties.filter(p => p.role === 'principal');
    const mediators = d.parties.filter(p => p.role === 'mediator');
    const protocol = el('select', {id: 'protocol'},
      el('option', {value: 'negotiation', text: 'alternating offers (direct talks)'}),
      el('option', {value: 'mediation', text: 'mediated talks (single negotiating text)'}));
    const seatsBox = el('div', {id: 'seat-choices'});
    const unit = el('select', {id: 'deadline-unit'});
    const amount = el('input', {id: 'deadline-value', type: 'number', min: '1', value: '20'});
    const revealChoices = [['own', 'only their own preferences'], ['weights', 'also the others\' issue weights'],
      ['reservations', 'also the others\' BATNAs'], ['weights,reservations', 'also the others\' issue weights and BATNAs'],
      ['all', 'everybody\'s utilities of every offer, and the analysis']];
    const revealValue = v => v.includes(',') ? v.split(',') : v;
    const reveal = el('select', {id: 'reveal'}, revealChoices.map(([v, t]) => el('option', {value: v, text: t})));
    const timeout = el('input', {id: 'seat-timeout', type: 'number', min: '1', value: String(info.seat_timeout)});
    const error = el('p', {id: 'session-error', class: 'error', role: 'alert'});
    const links = el('div', {id: 'session-links'});
    function seatRows() {
      const p = protocol.value;
      const rows = principals.map(x => ({party: x.name, label: x.label, role: 'principal'}));
      if (p === 'mediation') rows.push(mediators.length ? {party: mediators[0].name, label: mediators[0].label, role: 'mediator'}
        : {party: 'mediator', label: 'a neutral mediator', role: 'mediator'});
      seatsBox.replaceChildren(el('table', {}, el('tbody', {}, rows.map((r, k) => el('tr', {},
        el('th', {text: r.label + ' (' + r.role + ')'}),
        el('td', {}, el('select', {class: 'seat-kind', data: {party: r.party}}, agentOptions(r.role, p))),
        el('td', {}, el('input', {class: 'seat-name', data: {party: r.party}, placeholder: 'name (optional)'})),
        el('td', {}, el('select', {class: 'seat-reveal', data: {party: r.party}, title: 'what this person sees of the others'},
          el('option', {value: '', text: 'sees what people see'}),
          revealChoices.map(([v, t]) => el('option', {value: v, text: 'sees ' + t})))))))));
      const selects = seatsBox.querySelectorAll('select.seat-kind');
      /* by default: the first seat a person, the others agents */
      selects.forEach((s, k) => { if (k > 0 && s.options.length > 1) s.selectedIndex = 1; });
      unit.replaceChildren(...(p === 'mediation' ? [el('option', {value: 'iterations', text: 'iterations'})]
        : [el('option', {value: 'rounds', text: 'rounds'})]), el('option', {value: 'minutes', text: 'minutes'}));
    }
    protocol.addEventListener('change', seatRows);
    seatRows();
    const create = el('button', {id: 'create-session', text: 'Create the session'});
    create.addEventListener('click', async () => {
      error.textContent = '';
      links.replaceChildren();
      const seats = Array.from(seatsBox.querySelectorAll('select.seat-kind')).map(s => {
        const name = seatsBox.querySelector('input.seat-name[data-party="' + CSS.escape(s.dataset.party) + '"]').value;
        const seen = seatsBox.querySelector('select.seat-reveal[data-party="' + CSS.escape(s.dataset.party) + '"]').value;
        return s.value === 'person' ? {party: s.dataset.party, kind: 'person', name: name || undefined,
          reveal: seen ? revealValue(seen) : undefined}
          : {party: s.dataset.party, kind: 'agent', agent: s.value};
      });
      const deadline = {};
      deadline[unit.value] = unit.value === 'minutes' ? Number(amount.value) : Math.round(Number(amount.value));
      try {
        const r = await api('POST', '/api/sessions', {scenario: d.id, protocol: protocol.value, seats, deadline,
          reveal: revealValue(reveal.value), seat_timeout: Number(timeout.value)}, operatorKey);
        const people = r.seats.filter(s => s.kind === 'person');
        links.replaceChildren(el('h3', {text: 'Session ' + r.id.slice(0, 8) + ' created'}),
          people.length ? el('p', {class: 'muted', text: 'Send each person their link: it is their seat (keep it secret). The session starts when everybody has opened theirs.'})
            : el('p', {class: 'muted', text: 'Agents only: it runs now.'}),
          el('table', {}, el('tbody', {}, people.map(s => el('tr', {class: 'seat-link', data: {party: s.party}},
            el('th', {text: s.party}), el('td', {class: 'link', text: absolute(s.link)}),
            el('td', {}, el('a', {href: s.link, class: 'open-seat', text: 'sit here'})))))),
          el('p', {}, el('a', {href: '#/observe/' + r.id, id: 'observe-link', text: 'watch the session'})));
      } catch (e) {
        error.textContent = e.message;
      }
    });
    return el('div', {class: 'card', id: 'new-session'}, el('h2', {text: 'Start a session'}),
      el('p', {}, 'Protocol: ', protocol), seatsBox,
      el('p', {class: 'row'}, 'Deadline: ', amount, unit),
      el('p', {}, 'What people see: ', reveal),
      el('p', {class: 'row'}, 'Seconds a person may take for a turn: ', timeout),
      create, error, links);
  }

  /* ---- joining an experiment ---- */

  function join(xid, code) {
    where.textContent = 'joining a study';
    const name = el('input', {id: 'join-name', placeholder: 'your name or participant number (optional)'});
    const error = el('p', {id: 'join-error', class: 'error'});
    const button = el('button', {id: 'join-button', text: 'Take a seat'});
    button.addEventListener('click', async () => {
      error.textContent = '';
      try {
        const r = await api('POST', '/api/experiment/join?id=' + xid + '&code=' + code, {name: name.value});
        rememberSeat(r.session, r.token, r.party);
        location.hash = '#/seat/' + r.session + '/' + r.token;
      } catch (e) {
        error.textContent = e.message;
      }
    });
    show(el('h1', {text: 'Welcome'}), el('div', {class: 'card'},
      el('p', {text: 'You are about to negotiate. You will get a seat at a table; the others may be people or programs.'}),
      name, button, error));
  }

  /* ---- the table ---- */

  function table(sid, token, observer) {
    if (!token) return home();
    const view = {sid, token, observer, state: null, events: [], version: -1, timer: null, stopped: false,
      table: null, ideal: null, you: null, composed: null, lastDetailsKey: '', summaryShown: false,
      received: 0, ticks: null};
    current = {stop() { view.stopped = true; clearTimeout(view.timer); clearInterval(view.ticks); }};
    if (!observer) rememberSeat(sid, token, null);
    const root = el('div', {id: 'table'});
    show(root);
    root.append(el('p', {class: 'muted', text: 'Taking your seat…'}));
    poll(view, root, true);
    view.ticks = setInterval(() => tick(view), 1000);
  }

  async function poll(view, root, full) {
    if (view.stopped) return;
    let s;
    try {
      const q = '/api/session?id=' + view.sid + '&after=' + view.received + (full ? '&full=1' : '&since=' + view.version);
      s = await api('GET', q, undefined, view.token);
    } catch (e) {
      if (e.status === 401 || e.status === 403 || e.status === 404) {
        root.replaceChildren(el('h1', {text: 'No seat here'}), el('p', {class: 'error', id: 'seat-error', text: e.message}));
        return;
      }
      view.timer = setTimeout(() => poll(view, root, full), 2000); /* the server may be restarting */
      return;
    }
    if (!s.unchanged) {
      if (s.table) { view.table = s.table; view.ideal = s.ideal; view.others = s.others || null; }
      view.events.push(...s.events);
      view.received = s.events_total;
      view.state = s;
      view.version = s.version;
      view.polledAt = performance.now();
      render(view, root);
    }
    if (view.state && view.state.status === 'ended' && view.summaryShown) return;
    const delay = !view.state || view.state.status === 'waiting' ? 1000 : 400;
    view.timer = setTimeout(() => poll(view, root, false), delay);
  }

  function tick(view) {
    const s = view.state;
    if (!s) return;
    const gone = (performance.now() - view.polledAt) / 1000;
    const left = document.getElementById('time-left');
    if (left && s.deadline.seconds_left !== undefined) left.textContent = clock(s.deadline.seconds_left - gone);
    const timeout = document.getElementById('turn-timeout');
    if (timeout && s.waiting) timeout.textContent = clock(s.waiting.timeout_in - gone);
  }

  function seatLabel(s) {
    return s.label + (s.label !== s.party ? ' (' + s.party + ')' : '');
  }

  function header(view) {
    const s = view.state;
    const you = s.you;
    /* mediated talks in minutes alone may take as many iterations as fit (10000) */
    const deadline = s.deadline.rounds ? 'deadline: ' + s.deadline.rounds + ' rounds'
      : s.deadline.iterations && !(s.deadline.minutes && s.deadline.iterations >= 10000)
        ? 'deadline: ' + s.deadline.iterations + ' iterations' : null;
    return el('div', {class: 'card', id: 'header'},
      el('h1', {}, s.scenario_name + ': ', observer(view) ? 'watching' : 'you are ' + seatLabel(you) + ', ' + you.role),
      el('p', {class: 'row'},
        el('span', {class: 'status', id: 'status', text: s.status}),
        el('span', {class: 'pill', text: s.protocol === 'mediation' ? 'mediated talks' : 'alternating offers'}),
        deadline ? el('span', {class: 'pill', text: deadline}) : null,
        s.deadline.seconds_left !== undefined ? el('span', {class: 'pill'}, 'time left ', el('strong', {id: 'time-left', text: clock(s.deadline.seconds_left)})) : null,
        s.deadline.minutes && s.status !== 'running' ? el('span', {class: 'pill', text: 'deadline: ' + s.deadline.minutes + ' minutes'}) : null),
      el('p', {}, s.seats.map(x => el('span', {class: 'pill seat', data: {party: x.party}},
        el('span', {class: 'dot' + (x.online ? ' on' : '')}), seatLabel(x) + ': ' + (x.kind === 'person' ? (x.name || 'a person') : x.agent)
        + (you && x.index === you.seat ? ' (you)' : '') + (x.kind === 'person' && !x.joined ? ' (not here yet)' : '')))),
      s.cancelled ? el('p', {class: 'error', text: s.cancelled}) : null,
      observer(view) && s.status !== 'ended' ? cancelButton(view) : null);
  }

  function cancelButton(view) {
    if (view.cancelButton) return view.cancelButton; /* kept across renders: it may be armed */
    const b = view.cancelButton = el('button', {class: 'danger', id: 'btn-cancel', text: 'End this session'});
    armed(b, 'End this session', 'Click again: end it for everybody', () => {
      api('POST', '/api/session/cancel?id=' + view.sid, {}, view.token).catch(() => {});
    });
    return b;
  }

  function observer(view) {
    return view.state.observer;
  }

  function render(view, root) {
    const s = view.state;
    where.textContent = s.scenario_name;
    const parts = [header(view)];
    if (s.status === 'waiting') {
      const missing = s.seats.filter(x => x.kind === 'person' && !x.joined).map(seatLabel);
      parts.push(el('div', {class: 'card', id: 'waiting-room'}, el('h2', {text: 'Waiting for everybody to sit down'}),
        el('p', {text: 'Not here yet: ' + missing.join(', ') + '. The talks start when every person has opened their link.'})));
    }
    if (s.status === 'ended' && s.summary) {
      parts.push(summaryCard(view));
    }
    if (s.status === 'running' || s.status === 'ended') {
      if (!observer(view) && s.status === 'running') parts.push(actionCard(view));
      if (!observer(view) && view.others) parts.push(othersCard(view));
      parts.push(historyCard(view));
    }
    root.replaceChildren(...parts);
    if (s.status === 'ended' && s.summary && !view.summaryShown) {
      view.summaryShown = true;
      const box = document.getElementById('summary-plots');
      if (box && (s.debrief || s.reveal_all || observer(view)))
        plots(box, k => '/api/session/plot?id=' + view.sid + '&k=' + k, view.token, 'plot of the talks');
    }
  }

  /* What this seat is shown of the others' preferences (the session's reveal). */
  function othersCard(view) {
    const pct = x => (100 * x).toFixed(0) + '%';
    return el('div', {class: 'card', id: 'others'}, el('h2', {text: 'What you know of the others'}),
      el('table', {}, el('tbody', {}, view.others.map(o => el('tr', {class: 'other', data: {party: o.party}},
        el('th', {text: o.label}),
        'weights' in o ? el('td', {class: 'other-weights', text: o.weights
          ? 'cares about ' + Object.entries(o.weights).map(([i, w]) => i + ' ' + pct(w)).join(', ')
          : 'no issue weights (its preferences are not additive)'}) : null,
        'batna' in o ? el('td', {class: 'other-batna', text: 'BATNA ' + fmt(o.batna)}) : null)))));
  }

  /* ---- acting ---- */

  function myTurn(view) {
    const w = view.state.waiting;
    return w && w.yours ? w : null;
  }

  function composer(view, start, onChange) {
    /* a select per clause; options say their utility to you once known */
    const you = view.state.you;
    const box = el('div', {id: 'composer'});
    const rows = view.table.issues.map(issue => {
      const select = el('select', {class: 'clause', data: {issue: issue.name}});
      const forbidden = (you && you.forbidden[issue.name]) || [];
      issue.options.forEach(o => select.append(el('option', {value: o, text: o,
        disabled: forbidden.includes(o), class: forbidden.includes(o) ? 'forbidden' : null})));
      select.value = start && start[issue.name] !== undefined ? String(start[issue.name]) : issue.options[0];
      select.addEventListener('change', () => onChange(read()));
      return el('tr', {}, el('th', {text: issue.name}), el('td', {}, select));
    });
    box.append(el('table', {}, el('tbody', {}, rows)));
    function read() {
      const out = {};
      box.querySelectorAll('select.clause').forEach(s => { out[s.dataset.issue] = s.value; });
      return out;
    }
    box.read = read;
    return box;
  }

  /* Utilities of what the person composes, from the server (their profile may be nonlinear). */
  async function evaluate(view, outcome, box, base) {
    const stamp = (view.evalStamp = (view.evalStamp || 0) + 1);
    let r;
    try { r = await api('POST', '/api/session/evaluate?id=' + view.sid, {outcome}, view.token); } catch (e) { return; }
    if (stamp !== view.evalStamp) return;
    const you = view.state.you;
    const u = document.getElementById('own-utility');
    if (u) u.textContent = fmt(r.utility);
    const bar = document.getElementById('own-bar');
    if (bar && typeof r.utility === 'number') bar.style.width = Math.max(0, Math.min(1, r.utility)) * 100 + '%';
    const warn = document.getElementById('compose-warning');
    if (warn) warn.textContent = r.vetoed ? 'This breaks your hard condition: ' + r.vetoed.label
      : typeof r.utility === 'number' && you && typeof you.batna === 'number' && r.utility <= you.batna
        ? 'Below your BATNA (' + fmt(you.batna) + '): no deal would be better for you.' : '';
    const others = document.getElementById('others-utility');
    if (others && r.utilities) others.textContent = Object.entries(r.utilities).map(([p, x]) => p + ' ' + fmt(x)).join(', ');
    if (r.options) box.querySelectorAll('select.clause').forEach(sel => {
      const hints = r.options[sel.dataset.issue];
      Array.from(sel.options).forEach((o, k) => {
        const forbidden = o.disabled ? ' (breaks your hard condition)' : '';
        o.textContent = o.value + (hints ? ' — ' + fmt(hints[k]) : '') + forbidden;
      });
      const row = sel.closest('tr');
      if (row) row.classList.toggle('changed', !!(base && base[sel.dataset.issue] !== undefined && base[sel.dataset.issue] !== sel.value));
    });
    view.lastEvaluation = r;
    const send = document.getElementById('btn-offer') || document.getElementById('btn-send-draft');
    if (send && send.id === 'btn-offer') send.disabled = !!r.vetoed;
  }

  function act(view, body, errorBox, buttons) {
    errorBox.textContent = '';
    buttons.forEach(b => { b.disabled = true; });
    api('POST', '/api/session/act?id=' + view.sid, body, view.token).then(() => {
      errorBox.textContent = '';
    }).catch(e => {
      errorBox.textContent = e.message;
      buttons.forEach(b => { b.disabled = false; });
    });
  }

  function actionCard(view) {
    const s = view.state;
    const w = myTurn(view);
    const other = s.waiting;
    const key = w ? w.what + ':' + JSON.stringify(w.details) : 'none:' + (other ? other.seat + other.what : '');
    /* keep the person's unsent choices while nothing changed for them */
    if (view.actionCard && view.actionKey === key) return view.actionCard;
    view.actionKey = key;
    const you = s.you;
    const error = el('p', {id: 'action-error', class: 'error', role: 'alert'});
    let card;
    if (!w) {
      card = el('div', {class: 'card', id: 'action'}, el('h2', {text: 'Waiting'}),
        el('p', {id: 'waiting-for', text: other ? 'Waiting for ' + other.party + ' (' + other.what + ').' : 'The engine is working.'}),
        batnaLine(you));
    } else if (w.what === 'turn') {
      card = turnCard(view, w.details, error);
    } else if (w.what === 'review') {
      card = reviewCard(view, w.details, error);
    } else {
      card = draftCard(view, w.details, error);
    }
    view.actionCard = card;
    return card;
  }

  function batnaLine(you) {
    return you && typeof you.batna === 'number'
      ? el('p', {}, 'Your BATNA (what no deal gives you): ', el('strong', {id: 'batna', text: fmt(you.batna)}),
        typeof you.discount === 'number' && you.discount < 1
          ? el('span', {class: 'muted', id: 'discount', text: ' · a deal is worth less the later it comes: utility × ' + you.discount + '^time'}) : null,
        you.hard_conditions.length ? el('span', {class: 'forbidden', text: ' · your hard conditions: ' + you.hard_conditions.map(h => h.label).join('; ')}) : null)
      : null;
  }

  function utilityBox(view) {
    return el('div', {},
      el('p', {}, 'Your utility of this: ', el('span', {class: 'big', id: 'own-utility', text: '…'})),
      el('div', {class: 'bar'}, el('div', {class: 'fill', id: 'own-bar', style: 'width:0%'}),
        typeof view.state.you.batna === 'number' ? el('div', {class: 'batna', title: 'your BATNA',
          style: 'left:' + Math.max(0, Math.min(1, view.state.you.batna)) * 100 + '%'}) : null),
      view.state.reveal_all ? el('p', {class: 'muted'}, 'Everybody: ', el('span', {id: 'others-utility'})) : null,
      el('p', {class: 'warn', id: 'compose-warning'}));
  }

  function turnCard(view, d, error) {
    const you = view.state.you;
    const start = view.composed || view.ideal || d.offer;
    const box = composer(view, start, outcome => { view.composed = outcome; evaluate(view, outcome, box); });
    const accept = el('button', {id: 'btn-accept', text: 'Accept this offer', disabled: !d.offer || !!d.offer_vetoed});
    const offer = el('button', {id: 'btn-offer', text: 'Send my offer'});
    const walk = el('button', {id: 'btn-walk', class: 'danger', text: 'Walk away'});
    const buttons = [accept, offer, walk];
    accept.addEventListener('click', () => act(view, {action: 'accept'}, error, buttons));
    offer.addEventListener('click', () => { view.composed = box.read(); act(view, {action: 'offer', outcome: box.read()}, error, buttons); });
    armed(walk, 'Walk away', 'Click again: no deal for anybody', () => act(view, {action: 'walk-away'}, error, buttons));
    const ideal = el('button', {class: 'secondary', id: 'btn-ideal', text: 'Start from my best deal', disabled: !view.ideal});
    ideal.addEventListener('click', () => {
      box.querySelectorAll('select.clause').forEach(sel => { if (view.ideal[sel.dataset.issue] !== undefined) sel.value = String(view.ideal[sel.dataset.issue]); });
      view.composed = box.read();
      evaluate(view, box.read(), box);
    });
    const rounds = view.state.deadline.rounds;
    const card = el('div', {class: 'card yours', id: 'action'},
      el('h2', {text: 'Your turn'}),
      el('p', {class: 'row'}, el('span', {class: 'pill', id: 'round', text: 'round ' + d.round + (rounds ? ' of ' + rounds : '')}),
        el('span', {class: 'pill'}, 'answer within ', el('strong', {id: 'turn-timeout', text: clock(view.state.waiting.timeout_in)}))),
      batnaLine(you),
      el('div', {class: 'grid'},
        el('div', {id: 'incoming'}, el('h3', {text: d.offer ? 'On the table, from ' + d.offer_from : 'No offer on the table yet'}),
          d.offer ? [outcomeList(d.offer),
            el('p', {}, 'Its utility to you: ', el('strong', {id: 'offer-utility', text: fmt(d.offer_utility)}),
              typeof d.batna === 'number' && d.offer_utility <= d.batna ? el('span', {class: 'warn', text: ' (not above your BATNA)'}) : null),
            d.offer_vetoed ? el('p', {class: 'forbidden', id: 'offer-vetoed', text: 'It breaks your hard condition: ' + d.offer_vetoed.label + '. You cannot accept it.'}) : null] : null,
          accept),
        el('div', {}, el('h3', {text: 'Your counter-offer'}), box, utilityBox(view), el('div', {}, ideal, offer, walk))),
      error);
    evaluate(view, box.read(), box);
    return card;
  }

  function reviewCard(view, d, error) {
    const you = view.state.you;
    const box = composer(view, d.draft, outcome => { evaluate(view, outcome, box, d.draft); });
    const accept = el('button', {id: 'btn-accept', text: 'Accept the draft', disabled: !!d.vetoed});
    const object = el('button', {id: 'btn-object', text: d.vetoed ? 'Veto: object with these amendments' : 'Object with these amendments'});
    const walk = el('button', {id: 'btn-walk', class: 'danger', text: 'Walk away'});
    const buttons = [accept, object, walk];
    accept.addEventListener('click', () => act(view, {action: 'accept'}, error, buttons));
    object.addEventListener('click', () => {
      const amended = box.read();
      const changes = {};
      for (const [k, v] of Object.entries(amended)) if (d.draft[k] !== v) changes[k] = v;
      act(view, {action: 'object', outcome: changes}, error, buttons);
    });
    armed(walk, 'Walk away', 'Click again: leave the talks', () => act(view, {action: 'walk-away'}, error, buttons));
    const amendments = view.events.filter(e => e.type === 'amendment' && e.iteration === d.iteration && e.to === you.party);
    const card = el('div', {class: 'card yours', id: 'action'},
      el('h2', {text: 'The mediator\'s draft, iteration ' + (d.iteration + 1)}),
      el('p', {class: 'row'}, el('span', {class: 'pill'}, 'answer within ', el('strong', {id: 'turn-timeout', text: clock(view.state.waiting.timeout_in)}))),
      batnaLine(you),
      el('div', {class: 'grid'},
        el('div', {id: 'incoming'}, el('h3', {text: 'The draft'}), outcomeList(d.draft),
          el('p', {}, 'Its utility to you: ', el('strong', {id: 'draft-utility', text: fmt(d.utility)})),
          d.vetoed ? el('p', {class: 'forbidden', id: 'draft-vetoed', text: 'It breaks your hard condition: ' + d.vetoed.label + '. You veto it: object, proposing what your condition allows.'}) : null,
          amendments.length ? [el('h3', {text: 'Amendments sent to you'}), el('ul', {id: 'amendments'}, amendments.map(a =>
            el('li', {text: a.from + ' asks ' + a.issue + ' = ' + a.option})))] : null,
          accept),
        el('div', {}, el('h3', {text: 'Your amendments (change the clauses you object to)'}), box, utilityBox(view),
          el('p', {class: 'muted', text: 'The protocol passes on the clauses that matter most to you (at most a few per answer).'}),
          el('div', {}, object, walk))),
      error);
    evaluate(view, box.read(), box, d.draft);
    return card;
  }

  function draftCard(view, d, error) {
    const start = view.composed && view.composedFor === d.iteration ? view.composed : d.draft;
    const box = composer(view, start, outcome => { view.composed = outcome; view.composedFor = d.iteration; evaluate(view, outcome, box, d.draft); });
    const send = el('button', {id: 'btn-send-draft', text: d.iteration === 0 ? 'Send the first draft' : 'Send the revised draft'});
    send.addEventListener('click', () => act(view, {action: 'draft', outcome: box.read()}, error, [send]));
    const channels = view.table.channels;
    const card = el('div', {class: 'card yours', id: 'action'},
      el('h2', {text: d.iteration === 0 ? 'Write the first draft' : 'Revise the draft for iteration ' + (d.iteration + 1)}),
      el('p', {class: 'row'}, el('span', {class: 'pill'}, 'answer within ', el('strong', {id: 'turn-timeout', text: clock(view.state.waiting.timeout_in)}))),
      el('div', {class: 'grid'},
        el('div', {},
          el('h3', {text: 'Who can talk to whom'}),
          el('ul', {id: 'channels'}, channels.map(([a, b]) => el('li', {text: channelText(a, b, view.table.channel_windows)}))),
          el('p', {class: 'muted', text: 'You carry the text along your channels; principals answer only you.'}),
          el('h3', {text: d.answers.length ? 'The answers to your last draft' : 'No answers yet'}),
          el('div', {id: 'answers'}, d.answers.map(a => el('div', {class: 'answer', data: {party: a.party}},
            el('strong', {text: a.party + ': ' + a.answer}), a.veto ? el('span', {class: 'forbidden', text: ' veto (' + a.veto + ')'}) : null,
            el('span', {class: 'muted beats-batna', text: a.beats_batna ? ' — says the draft beats its BATNA' : ' — says the draft is no better than its BATNA'}),
            el('ul', {}, a.objections.map(o => el('li', {text: o.issue + ' → ' + o.proposed + (o.veto ? ' (veto)' : '')
              + (o.amendment_from ? ' (amendment from ' + o.amendment_from + ')' : '')}))))))),
        el('div', {}, el('h3', {text: 'The text'}), box, view.state.you.has_profile ? utilityBox(view)
          : el('div', {}, view.state.reveal_all ? el('p', {class: 'muted'}, 'Everybody: ', el('span', {id: 'others-utility'})) : null,
            el('p', {class: 'warn', id: 'compose-warning'})), send)),
      error);
    evaluate(view, box.read(), box, d.draft);
    return card;
  }

  /* ---- what happened ---- */

  function describe(view, e) {
    const you = view.state.you;
    const mine = e.your_utility !== undefined ? ' (your utility ' + fmt(e.your_utility) + ')' : '';
    const all = e.utilities && Array.isArray(e.utilities) ? ' (utilities ' + e.utilities.map(x => fmt(x)).join(', ') + ')' : '';
    switch (e.type) {
      case 'start': return e.protocol === 'single-negotiating-text' ? 'The talks start; the mediator is ' + e.mediator + '.' : 'The talks start (' + e.protocol + ').';
      case 'offer': return 'Round ' + e.round + ': ' + e.actor + ' offers ' + clauses(e.outcome) + mine + all;
      case 'accept': return 'Round ' + e.round + ': ' + e.actor + ' accepts' + mine + all;
      case 'end-negotiation': return 'Round ' + e.round + ': ' + e.actor + ' walks away.';
      case 'draft': return 'Iteration ' + (e.iteration + 1) + ': ' + e.from + ' → ' + e.to + ': draft ' + clauses(e.outcome)
        + (e.utility !== undefined ? ' (utility to ' + e.to + ' ' + fmt(e.utility) + ')' : '');
      case 'amendment': return 'Iteration ' + (e.iteration + 1) + ': ' + e.from + ' → ' + e.to + ': amendment ' + e.issue + ' = ' + e.option;
      case 'answer': return 'Iteration ' + (e.iteration + 1) + ': ' + e.from + ' → ' + e.to + ': ' + e.answer
        + (e.veto ? ' (veto: ' + e.veto + ')' : '')
        + (e.objections && e.objections.length ? '; asks ' + e.objections.map(o => o.issue + ' = ' + o.proposed).join(', ') : '');
      case 'revision': return 'Iteration ' + (e.iteration + 1) + ': ' + e.by + ' revises ' + (e.changes.length ? e.changes.map(c => c.issue + ' → ' + c.to).join(', ') : 'nothing');
      case 'end': return 'End: ' + (e.reason || e.end) + '.';
      default: return e.type;
    }
    function clauses(o) { return o ? Object.entries(o).map(([k, v]) => k + '=' + v).join(', ') : ''; }
  }

  function historyCard(view) {
    const list = el('ol', {class: 'history', id: 'history'}, view.events.map(e => el('li', {data: {type: e.type}, text: describe(view, e)})));
    const card = el('div', {class: 'card'}, el('h2', {text: 'What was said (' + view.events.length + ')'}), list);
    setTimeout(() => { list.scrollTop = list.scrollHeight; }, 0);
    return card;
  }

  function summaryCard(view) {
    const s = view.state.summary;
    const box = el('div', {class: 'plots', id: 'summary-plots'});
    const reason = s.reason || s.fault_message || '';
    return el('div', {class: 'card', id: 'summary'},
      el('h2', {id: 'summary-title', text: s.agreement ? 'Agreement' : 'No agreement (' + s.end + ')'}),
      reason ? el('p', {id: 'summary-reason', text: reason}) : null,
      s.fault ? el('p', {class: 'error', text: 'At fault: ' + s.fault + (s.fault_message ? ': ' + s.fault_message : '')}) : null,
      el('div', {class: 'grid'},
        el('div', {}, el('h3', {text: s.agreement ? 'The deal' : s.last_draft ? 'The last draft' : 'No deal: everybody gets their BATNA'}),
          s.outcome || s.last_draft ? outcomeList(s.outcome || s.last_draft) : null),
        el('div', {}, el('h3', {text: 'Utilities'}),
          el('table', {id: 'summary-parties'}, el('thead', {}, el('tr', {}, ['party', 'utility', 'BATNA', 'margin'].map(h => el('th', {text: h})))),
            el('tbody', {}, (s.parties || []).map(p => el('tr', {data: {party: p.party}},
              el('td', {text: p.label + (p.kind ? ' (' + (p.kind === 'person' ? 'person' : p.agent) + ')' : ' (' + p.role + ')')}),
              el('td', {class: 'num', text: fmt(p.utility)}), el('td', {class: 'num', text: fmt(p.batna)}),
              el('td', {class: 'num', text: fmt(p.margin)}))))),
          el('p', {}, 'Distance to the Pareto frontier: ', el('strong', {id: 'pareto-distance', text: fmt(s.pareto_distance)}),
            ' · to the Nash point: ', el('strong', {id: 'nash-distance', text: fmt(s.nash_distance)})),
          s.evaluation && s.evaluation.pareto_optimal !== undefined ? el('p', {text: s.evaluation.pareto_optimal
            ? 'Pareto-optimal: no feasible deal is better for one without being worse for another.'
            : 'Not Pareto-optimal: another feasible deal is better for someone and worse for nobody.'}) : null)),
      el('h3', {text: 'The talks, plotted'}), box);
  }

  route();
  window.addEventListener('hashchange', route);
})();
