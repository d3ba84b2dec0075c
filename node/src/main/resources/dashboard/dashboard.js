// The Gridgate dashboard: polls GET /admin/overview with the admin token and shows what it says.
// Everything from the node is written as text (textContent, attributes), never parsed as markup.
'use strict';

(() => {
  const TOKEN_KEY = 'gridgate.adminToken';
  const POLL_MS = 2000;

  /** The previous successful poll: server time in ms and request counts by route, for rates. */
  let previous = null;
  /** Bumped when polling restarts, so a poll of an older round schedules no successor. */
  let round = 0;
  let timer = null;

  const $ = (id) => document.getElementById(id);

  /** A new element with attributes and children (strings become text nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Takes a token given as /dashboard#token=..., then drops it from the address bar and history. */
  function takeTokenFromFragment() {
    const token = new URLSearchParams(location.hash.slice(1)).get('token');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    }
    if (location.hash) {
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  function showError(kind, message) {
    const line = $('error');
    line.dataset.kind = kind;
    line.textContent = message;
    line.hidden = false;
  }

  function clearError() {
    const line = $('error');
    line.hidden = true;
    line.textContent = '';
    delete line.dataset.kind;
  }

  /** The message of a Gridgate JSON error body, or the status line when the body is not one. */
  async function reasonOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body.message === 'string') {
        return body.message;
      }
    } catch (ignored) {
      // not JSON: fall through to the status
    }
    return 'HTTP ' + response.status;
  }

  async function poll(myRound) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      showError('no-token', 'Enter the admin token (admin.token in the node\'s config) to see the cluster.');
      return;
    }
    let response;
    try {
      response = await fetch('/admin/overview', {
        headers: {Authorization: 'Bearer ' + token},
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      if (myRound === round) {
        showError('unreachable', 'The node is unreachable (' + e.message + '); retrying every '
          + POLL_MS / 1000 + ' s. The figures below are from the last refresh.');
        schedule(myRound);
      }
      return;
    }
    if (myRound !== round) {
      return;
    }
    if (response.status === 401) {
      // A wrong token stays wrong: stop asking until another one is entered.
      showError('unauthorized', 'The admin token was refused (401 Unauthorized). Enter the token set as admin.token.');
      return;
    }
    if (response.status === 403) {
      showError('disabled', 'The admin API is off on this node (403): ' + await reasonOf(response));
      return;
    }
    if (!response.ok) {
      showError('unavailable', 'The node answered ' + response.status + ': ' + await reasonOf(response)
        + '; retrying every ' + POLL_MS / 1000 + ' s.');
      schedule(myRound);
      return;
    }
    let overview;
    try {
      overview = await response.json();
    } catch (e) {
      showError('unavailable', 'The node sent an overview that is not JSON; retrying.');
      schedule(myRound);
      return;
    }
    if (myRound !== round) {
      return;
    }
    try {
      render(overview);
      clearError();
    } catch (e) {
      showError('unavailable', 'The overview could not be shown (' + e.message + '); retrying.');
    }
    schedule(myRound);
  }

  function schedule(myRound) {
    timer = setTimeout(() => poll(myRound), POLL_MS);
  }

  function restart() {
    clearTimeout(timer);
    round += 1;
    previous = null;
    poll(round);
  }

  function render(overview) {
    const now = Date.parse(overview.time);
    const counts = new Map(overview.requests.map((r) => [r.route, r.count]));
    const rates = ratesSince(previous, now, counts);
    previous = {time: now, counts};

    const nodeId = $('node-id');
    nodeId.textContent = overview.node.memberId;
    nodeId.dataset.memberId = overview.node.memberId;
    renderMembers(overview.members);
    renderRoutes(overview.routes, rates);
    renderServices(overview.services, now);
    renderBreakers(overview.breakers);

    const refreshed = $('refreshed');
    refreshed.dataset.time = overview.time;
    refreshed.textContent = 'Last refresh: ' + new Date(now).toLocaleTimeString();
  }

  /** Requests per second by route between two polls; absent for the first poll or after a restart. */
  function ratesSince(before, now, counts) {
    const rates = new Map();
    if (!before || now <= before.time) {
      return rates;
    }
    const seconds = (now - before.time) / 1000;
    for (const [route, count] of counts) {
      const was = before.counts.has(route) ? before.counts.get(route) : 0;
      if (count >= was) {
        rates.set(route, (count - was) / seconds);
      }
    }
    return rates;
  }

  function rateText(rate) {
    return rate === undefined ? '-' : rate.toFixed(1);
  }

  function renderMembers(members) {
    const count = $('members-count');
    count.textContent = String(members.length);
    count.dataset.count = String(members.length);
    $('members').replaceChildren(...members.map((m) => el('li',
      {'data-member-id': m.id, 'data-local': m.local, title: m.id},
      m.address, m.local ? ' (this node)' : '')));
  }

  function matchText(route) {
    const parts = [];
    if (route.hosts.length) {
      parts.push(route.hosts.join(', '));
    }
    if (route.path !== undefined) {
      parts.push(route.path);
    } else if (route.pathPrefix !== undefined) {
      parts.push(route.pathPrefix + ' (prefix)');
    } else {
      parts.push('any path');
    }
    return parts.join(' ');
  }

  function upstreamText(route) {
    if (route.upstream !== undefined) {
      return route.upstream;
    }
    return Object.entries(route.versions || {}).map(([v, u]) => 'v' + v + ': ' + u).join(', ');
  }

  function renderRoutes(routes, rates) {
    $('routes').tBodies[0].replaceChildren(...routes.map((r) => el('tr', {'data-route-id': r.id},
      el('td', {class: 'route-id'}, r.id),
      el('td', {}, r.methods.length ? r.methods.join(' ') : 'any'),
      el('td', {}, matchText(r)),
      el('td', {}, upstreamText(r)),
      el('td', {class: 'rate', 'data-rate': rates.has(r.id) ? rates.get(r.id).toFixed(3) : ''},
        rateText(rates.get(r.id))))));
    const unrouted = $('unrouted');
    unrouted.dataset.rate = rates.has('none') ? rates.get('none').toFixed(3) : '';
    unrouted.querySelector('.rate').textContent = rateText(rates.get('none'));
  }

  function renderServices(services, now) {
    $('services').replaceChildren(...services.map((service) => {
      const healthy = service.instances.filter((i) => i.state === 'healthy').length;
      const box = el('div', {class: 'service', 'data-service': service.name},
        el('h3', {}, service.name, ' ',
          el('span', {class: 'counts', 'data-healthy': healthy, 'data-total': service.instances.length},
            healthy + ' of ' + service.instances.length + ' healthy')));
      if (!service.instances.length) {
        box.append(el('p', {class: 'empty'}, 'No instances registered.'));
        return box;
      }
      box.append(el('table', {class: 'instances'},
        el('thead', {}, el('tr', {},
          el('th', {}, 'Instance'), el('th', {}, 'Address'), el('th', {}, 'Zone'),
          el('th', {}, 'State'), el('th', {}, 'Last heartbeat'))),
        el('tbody', {}, ...service.instances.map((i) => el('tr',
          {'data-instance-id': i.id, 'data-service': service.name, 'data-state': i.state},
          el('td', {class: 'instance-id'}, i.id),
          el('td', {}, i.scheme + '://' + (i.host.includes(':') ? '[' + i.host + ']' : i.host) + ':' + i.port),
          el('td', {}, i.zone || '-'),
          el('td', {class: 'state state-' + i.state}, i.state),
          el('td', {}, ageText(now, i.lastHeartbeat)))))));
      return box;
    }));
  }

  function ageText(now, time) {
    const seconds = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
    return seconds + ' s ago';
  }

  function renderBreakers(breakers) {
    $('breakers').tBodies[0].replaceChildren(...breakers.map((b) => el('tr',
      {'data-breaker': b.name, 'data-state': b.state},
      el('td', {}, b.name),
      el('td', {class: 'state state-' + b.state.toLowerCase()}, b.state),
      el('td', {}, b.failureRate < 0 ? '-' : b.failureRate.toFixed(1) + ' %'))));
  }

  function start() {
    takeTokenFromFragment();
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('token-input');
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      input.value = '';
      restart();
    });
    $('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      clearTimeout(timer);
      round += 1;
      showError('no-token', 'Token forgotten. Enter the admin token to see the cluster.');
    });
    restart();
  }

  start();
})();
