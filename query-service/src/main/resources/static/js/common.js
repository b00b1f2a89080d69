// Shared by every dashboard page: calls to the API, the header, the live stream, small views.

/** An answer other than 2xx; problem is the problem+json body when there is one. */
export class ApiError extends Error {
	constructor(status, problem) {
		super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
		this.status = status;
		this.problem = (problem && typeof problem === 'object') ? problem : null;
	}
}

export function csrfToken() {
	const cookie = document.cookie.split('; ').find((entry) => entry.startsWith('XSRF-TOKEN='));
	return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
}

/** Calls the API with the session cookie; a lost session goes back to the sign-in page. */
export async function api(path, options = {}) {
	const headers = { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json', ...(options.headers || {}) };
	const method = (options.method || 'GET').toUpperCase();
	if (method !== 'GET') {
		headers['X-XSRF-TOKEN'] = csrfToken();
	}
	const response = await fetch(path, { ...options, method, headers, credentials: 'same-origin' });
	if (response.status === 401 && !path.startsWith('/dashboard/')) {
		location.assign('/login?expired');
		throw new ApiError(401, null);
	}
	const type = response.headers.get('Content-Type') || '';
	const body = type.includes('json') ? await response.json() : await response.text();
	if (!response.ok) {
		throw new ApiError(response.status, body);
	}
	return body;
}

/** Builds an element; children are nodes or text, never parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === null || value === undefined || value === false) {
			continue;
		}
		if (name.startsWith('on')) {
			node.addEventListener(name.substring(2), value);
		}
		else if (name === 'dataset') {
			Object.assign(node.dataset, value);
		}
		else {
			node.setAttribute(name, value === true ? '' : value);
		}
	}
	for (const child of children.flat()) {
		if (child !== null && child !== undefined && child !== false) {
			node.append(child instanceof Node ? child : String(child));
		}
	}
	return node;
}

export function number(value, digits = 1) {
	return (value === null || value === undefined) ? '–' : Number(value).toFixed(digits);
}

export function signed(value, digits = 1) {
	if (value === null || value === undefined) {
		return '–';
	}
	const fixed = Number(value).toFixed(digits);
	return (Number(fixed) > 0) ? `+${fixed}` : fixed;
}

export function date(iso) {
	return iso ? new Date(iso).toISOString().substring(0, 10) : '–';
}

export function dateTime(iso) {
	return iso ? new Date(iso).toISOString().substring(0, 16).replace('T', ' ') + ' UTC' : '–';
}

const BAND_NAMES = { AT_RISK: 'At risk', WATCH: 'Watch', HEALTHY: 'Healthy' };

export function band(name) {
	return el('span', { class: `band band-${name}` }, BAND_NAMES[name] || name || '–');
}

/** A trend line of trust values as an SVG, with its reading for screen readers. */
export function sparkline(values, width = 96, height = 24) {
	const svgNs = 'http://www.w3.org/2000/svg';
	const svg = document.createElementNS(svgNs, 'svg');
	svg.setAttribute('class', 'spark');
	svg.setAttribute('width', width);
	svg.setAttribute('height', height);
	svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
	svg.setAttribute('role', 'img');
	if (!values || values.length === 0) {
		svg.setAttribute('aria-label', 'no trend yet');
		return svg;
	}
	svg.setAttribute('aria-label', `trust trend from ${number(values[0])} to ${number(values[values.length - 1])}`);
	const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
	const points = values.map((value, index) => `${(2 + index * step).toFixed(1)},${(height - 2 - (value / 100) * (height - 4)).toFixed(1)}`);
	const line = document.createElementNS(svgNs, 'polyline');
	line.setAttribute('points', points.join(' '));
	line.setAttribute('fill', 'none');
	line.setAttribute('stroke', values[values.length - 1] < values[0] ? '#b3261e' : '#1e6b35');
	line.setAttribute('stroke-width', '1.5');
	svg.append(line);
	return svg;
}

export function emptyState(message, ...actions) {
	return el('div', { class: 'empty', role: 'status' }, message, ' ', ...actions);
}

export function errorState(what, error, retry) {
	const detail = (error instanceof ApiError && error.problem) ? `${error.problem.detail || error.message} (${error.problem.code || error.status})` : error.message;
	return el('div', { class: 'error', role: 'alert' }, `${what}: ${detail}. `,
		retry ? el('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again') : 'Reload the page to try again.');
}

let toastTimer;

export function toast(message) {
	let node = document.getElementById('toast');
	if (!node) {
		node = el('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' });
		document.body.append(node);
	}
	node.textContent = message;
	node.hidden = false;
	clearTimeout(toastTimer);
	toastTimer = setTimeout(() => { node.hidden = true; }, 5000);
}

/** Who is signed in; draws the header with the pages this role may open. */
export async function signedIn(page) {
	const me = await api('/api/me');
	const links = [el('a', { href: '/', 'aria-current': page === 'portfolio' ? 'page' : null }, 'Portfolio')];
	if (me.mayAnalyse) {
		links.push(el('a', { href: '/analyst.html', 'aria-current': page === 'analyst' ? 'page' : null, 'data-testid': 'nav-analyst' }, 'Analyst'));
	}
	if (me.maySubscribe) {
		links.push(el('a', { href: '/webhooks.html', 'aria-current': page === 'webhooks' ? 'page' : null, 'data-testid': 'nav-webhooks' }, 'Webhooks'));
	}
	const signOut = el('form', { method: 'post', action: '/logout' },
		el('input', { type: 'hidden', name: '_csrf', value: csrfToken() }),
		el('button', { type: 'submit' }, 'Sign out'));
	const bar = document.getElementById('bar');
	bar.replaceChildren(
		el('a', { class: 'brand', href: '/' }, 'Trust Ledger'),
		el('nav', { 'aria-label': 'Pages' }, links),
		el('div', { class: 'who' },
			el('span', { id: 'live-state', class: 'live', role: 'status', 'data-state': 'connecting' }, 'Connecting…'),
			el('span', { 'data-testid': 'who' }, `${me.name} · ${me.roles.map((role) => role.replace('_', ' ').toLowerCase()).join(', ')}`),
			signOut));
	window.trustLedger = { ...(window.trustLedger || {}), me };
	return me;
}

/**
 * Follows /api/live: handlers.event for each recorded event, handlers.alert for each
 * alert. The browser reconnects by itself; the header says whether updates are live.
 */
export function followLive(handlers) {
	const stream = new EventSource('/api/live');
	const indicator = () => document.getElementById('live-state');
	const show = (state, text) => {
		const node = indicator();
		if (node) {
			node.dataset.state = state;
			node.textContent = text;
		}
	};
	stream.addEventListener('hello', () => show('open', 'Live'));
	stream.onopen = () => show('open', 'Live');
	stream.onerror = () => show('closed', 'Reconnecting…');
	for (const name of ['event', 'alert']) {
		stream.addEventListener(name, (message) => {
			if (handlers[name]) {
				handlers[name](JSON.parse(message.data));
			}
		});
	}
	window.addEventListener('beforeunload', () => stream.close());
	return stream;
}

/** The short name of an event type: trustledger.engagement.PromiseKept.v1 → PromiseKept. */
export function shortType(type) {
	const parts = (type || '').split('.');
	return parts.length >= 2 ? parts[parts.length - 2] : type;
}

export function words(name) {
	return (name || '').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (first) => first.toUpperCase());
}
