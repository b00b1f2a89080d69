import { api, band, el, emptyState, errorState, followLive, number, signed, signedIn, sparkline, toast, date, words } from './common.js';

const PAGE_SIZE = 50;
const form = document.getElementById('filters');
const query = new URLSearchParams(location.search);
let page = Number(query.get('page') || 0);
let flashed = new Set();

function filters() {
	const [sort, direction] = form.sort.value.split(':');
	const params = new URLSearchParams({ sort, direction, page, size: PAGE_SIZE });
	for (const name of ['band', 'deliveryLead', 'accountTeam', 'stale']) {
		if (form[name].value) {
			params.set(name, form[name].value);
		}
	}
	return params;
}

function remember() {
	const params = new URLSearchParams();
	for (const name of ['sort', 'band', 'deliveryLead', 'accountTeam', 'stale']) {
		if (form[name].value && !(name === 'sort' && form[name].value === 'trust:asc')) {
			params.set(name, form[name].value);
		}
	}
	if (page > 0) {
		params.set('page', page);
	}
	history.replaceState(null, '', params.toString() ? `?${params}` : location.pathname);
}

async function fillChoices() {
	// every lead and team in the portfolio, for the filters
	const leads = new Set();
	const teams = new Set();
	let total = Infinity;
	for (let index = 0; index * 200 < total && index < 25; index++) {
		const answer = await api(`/api/engagements?size=200&page=${index}`);
		total = answer.total;
		answer.items.forEach((item) => { leads.add(item.deliveryLead); teams.add(item.accountTeam); });
	}
	for (const [select, values] of [[form.deliveryLead, leads], [form.accountTeam, teams]]) {
		[...values].filter(Boolean).sort().forEach((value) => select.append(el('option', { value }, value)));
	}
}

function row(item) {
	const trend = item.trend30d;
	return el('tr', { 'data-engagement': item.engagementId, 'data-testid': 'engagement-row', class: flashed.has(item.engagementId) ? 'flash' : null },
		el('td', { 'data-label': 'Engagement' },
			el('a', { href: `/engagement.html?id=${encodeURIComponent(item.engagementId)}` }, item.clientName || item.engagementId),
			item.status === 'CLOSED' ? el('span', { class: 'tag' }, ' closed') : null),
		el('td', { 'data-label': 'Band' }, band(item.band)),
		el('td', { class: 'num', 'data-label': 'Trust', 'data-testid': 'trust' }, number(item.trust)),
		el('td', { class: 'num', 'data-label': 'Mutual responsibility' }, number(item.mutualResponsibility)),
		el('td', { class: `num ${trend < 0 ? 'down' : trend > 0 ? 'up' : ''}`, 'data-label': '30-day change' },
			trend < 0 ? '▼ ' : trend > 0 ? '▲ ' : '', signed(trend)),
		el('td', { 'data-label': 'Trend' }, sparkline(item.sparkline)),
		el('td', { 'data-label': 'Delivery lead' }, item.deliveryLead || '–'),
		el('td', { 'data-label': 'Account team' }, item.accountTeam || '–'),
		el('td', { 'data-label': 'Last event' }, date(item.lastEventAt), ' ', item.stale ? el('span', { class: 'tag stale' }, 'stale') : null));
}

async function loadPortfolio() {
	const table = document.getElementById('table');
	const summary = document.getElementById('summary');
	remember();
	let answer;
	try {
		answer = await api(`/api/engagements?${filters()}`);
	}
	catch (error) {
		table.replaceChildren(errorState('The portfolio could not be loaded', error, loadPortfolio));
		return;
	}
	const filtered = ['band', 'deliveryLead', 'accountTeam', 'stale'].some((name) => form[name].value);
	if (answer.items.length === 0) {
		table.replaceChildren(filtered
			? emptyState('No engagement matches these filters.', el('button', { type: 'button', class: 'secondary', onclick: clear }, 'Clear filters'))
			: emptyState('No engagements yet. An account team opens one with POST /api/engagements on the command service; ./trustledger up loads the demo.'));
		summary.textContent = '';
		document.getElementById('pager').replaceChildren();
		return;
	}
	summary.textContent = `${answer.total} engagement${answer.total === 1 ? '' : 's'}${filtered ? ' match' : ''}; showing ${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + answer.items.length}.`;
	table.replaceChildren(el('table', { class: 'responsive', 'data-testid': 'portfolio' },
		el('caption', { class: 'sr-only' }, 'Engagements with their scores'),
		el('thead', {}, el('tr', {},
			el('th', { scope: 'col' }, 'Engagement'), el('th', { scope: 'col' }, 'Band'),
			el('th', { scope: 'col', class: 'num' }, 'Trust'), el('th', { scope: 'col', class: 'num' }, 'Mutual resp.'),
			el('th', { scope: 'col', class: 'num' }, '30-day change'), el('th', { scope: 'col' }, 'Trend'),
			el('th', { scope: 'col' }, 'Delivery lead'), el('th', { scope: 'col' }, 'Account team'),
			el('th', { scope: 'col' }, 'Last event'))),
		el('tbody', {}, answer.items.map(row))));
	const pages = Math.ceil(answer.total / PAGE_SIZE);
	document.getElementById('pager').replaceChildren(...(pages > 1 ? [
		el('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page--; loadPortfolio(); } }, 'Previous'),
		el('span', {}, `Page ${page + 1} of ${pages}`),
		el('button', { type: 'button', class: 'secondary', disabled: page + 1 >= pages, onclick: () => { page++; loadPortfolio(); } }, 'Next'),
	] : []));
	flashed = new Set();
}

async function loadAlerts() {
	const box = document.getElementById('alerts');
	try {
		const answer = await api('/api/alerts?open=true&limit=500');
		if (answer.alerts.length === 0) {
			box.replaceChildren(emptyState('No open alerts: no engagement is at risk or below its peak by the drop threshold.'));
			return;
		}
		box.replaceChildren(el('ul', { class: 'alerts' }, answer.alerts.map((alert) => el('li', { 'data-testid': 'alert' },
			el('strong', {}, words(alert.kind)), ' · ',
			el('a', { href: `/engagement.html?id=${encodeURIComponent(alert.engagementId)}` }, alert.engagementId),
			` · trust ${number(alert.trust)} (peak ${number(alert.peakTrust)}) · since ${date(alert.occurredAt)}`))));
	}
	catch (error) {
		box.replaceChildren(errorState('The alerts could not be loaded', error, loadAlerts));
	}
}

function clear() {
	form.reset();
	page = 0;
	loadPortfolio();
}

let reloadTimer;

function reloadSoon() {
	clearTimeout(reloadTimer);
	reloadTimer = setTimeout(() => { loadPortfolio(); loadAlerts(); }, 800);
}

async function main() {
	await signedIn('portfolio');
	for (const name of ['sort', 'band', 'stale']) {
		if (query.get(name)) {
			form[name].value = query.get(name);
		}
	}
	form.addEventListener('change', () => { page = 0; loadPortfolio(); });
	document.getElementById('clear').addEventListener('click', clear);
	await Promise.all([loadPortfolio(), loadAlerts(), fillChoices().then(() => {
		for (const name of ['deliveryLead', 'accountTeam']) {
			if (query.get(name)) {
				form[name].value = query.get(name);
				loadPortfolio();
			}
		}
	}).catch(() => {})]);
	followLive({
		event: (event) => { flashed.add(event.engagementId); reloadSoon(); },
		alert: (alert) => { toast(`${words(alert.kind)}: ${alert.engagementId}, trust ${number(alert.trust)}`); reloadSoon(); },
	});
	document.body.dataset.ready = 'true';
}

main().catch((error) => document.querySelector('main').prepend(errorState('The dashboard could not start', error)));
