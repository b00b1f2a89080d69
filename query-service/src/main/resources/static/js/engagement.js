import { api, ApiError, band, date, dateTime, el, emptyState, errorState, followLive, number, shortType, signed, signedIn, toast, words } from './common.js';
import { incidentForm } from './incident-form.js';

const engagementId = new URLSearchParams(location.search).get('id');
const COMPONENTS = [
	['credibility', 'Credibility', '#0b5cad'],
	['reliability', 'Reliability', '#1e6b35'],
	['intimacy', 'Intimacy', '#8a5300'],
	['selfOrientation', 'Self-orientation (lower is better)', '#7a2e8e'],
];
const DAY = 24 * 3600 * 1000;

let engagement;
let points = [];
let events = new Map();
/** The most events the page reads for the points of a range in one answer. */
const HISTORY_PAGE = 2000;
let modelChanges = [];
let selected = null;
let scoresChart;
let componentsChart;

/** Dashed vertical lines where the scoring model changed. */
const modelChangeMarkers = {
	id: 'modelChanges',
	afterDatasetsDraw(chart) {
		const { ctx, chartArea, scales } = chart;
		for (const change of modelChanges) {
			const x = scales.x.getPixelForValue(Date.parse(change.at));
			if (x < chartArea.left || x > chartArea.right) {
				continue;
			}
			ctx.save();
			ctx.strokeStyle = '#4a5562';
			ctx.setLineDash([5, 4]);
			ctx.beginPath();
			ctx.moveTo(x, chartArea.top);
			ctx.lineTo(x, chartArea.bottom);
			ctx.stroke();
			ctx.fillStyle = '#4a5562';
			ctx.font = '12px system-ui, sans-serif';
			ctx.fillText(`model ${change.toModel}`, x + 4, chartArea.top + 12);
			ctx.restore();
		}
	},
};

function timeAxis() {
	return {
		type: 'linear',
		ticks: { callback: (value) => date(new Date(value).toISOString()), maxTicksLimit: 8 },
	};
}

function pointColours(values) {
	return values.map((point) => {
		const change = point.explanation ? point.explanation.trustChange : 0;
		return change < 0 ? '#b3261e' : change > 0 ? '#1e6b35' : '#4a5562';
	});
}

function drawCharts() {
	const x = (point) => Date.parse(point.occurredAt);
	const trust = points.map((point) => ({ x: x(point), y: point.trust, sequence: point.sequence }));
	const mutual = points.map((point) => ({ x: x(point), y: point.mutualResponsibility, sequence: point.sequence }));
	const radius = points.map((point) => (selected !== null && point.sequence === selected) ? 8 : 4);
	const onClick = (event, elements) => {
		if (elements.length > 0) {
			select(points[elements[0].index].sequence);
		}
	};
	const tooltip = {
		callbacks: {
			title: (items) => {
				const point = points[items[0].dataIndex];
				return `${words(point.eventType)} · ${dateTime(point.occurredAt)}`;
			},
			afterBody: (items) => {
				const point = points[items[0].dataIndex];
				const recorded = events.get(point.sequence);
				return recorded ? [`recorded by ${recorded.recordedBy} on ${dateTime(recorded.recordedAt)}`, `trust ${signed(point.explanation.trustChange, 2)}`] : [];
			},
		},
	};
	if (!scoresChart) {
		scoresChart = new Chart(document.getElementById('scores-chart'), {
			type: 'line',
			data: { datasets: [
				{ label: 'Trust', data: trust, borderColor: '#0b5cad', backgroundColor: '#0b5cad', pointBackgroundColor: pointColours(points), pointRadius: radius, pointHoverRadius: 8, tension: 0 },
				{ label: 'Mutual responsibility', data: mutual, borderColor: '#8a5300', backgroundColor: '#8a5300', borderDash: [6, 3], pointRadius: 3, tension: 0 },
			] },
			options: {
				animation: false, maintainAspectRatio: false, parsing: true,
				interaction: { mode: 'nearest', intersect: true },
				scales: { x: timeAxis(), y: { min: 0, max: 100, title: { display: true, text: 'score (0–100)' } } },
				plugins: { tooltip },
				onClick,
			},
			plugins: [modelChangeMarkers],
		});
		componentsChart = new Chart(document.getElementById('components-chart'), {
			type: 'line',
			data: { datasets: [] },
			options: { animation: false, maintainAspectRatio: false, scales: { x: timeAxis(), y: { min: 0, max: 100 } }, onClick: (event, elements) => elements.length && select(points[elements[0].index].sequence) },
			plugins: [modelChangeMarkers],
		});
	}
	scoresChart.data.datasets[0].data = trust;
	scoresChart.data.datasets[0].pointBackgroundColor = pointColours(points);
	scoresChart.data.datasets[0].pointRadius = radius;
	scoresChart.data.datasets[1].data = mutual;
	scoresChart.update();
	componentsChart.data.datasets = COMPONENTS.map(([key, label, colour]) => ({
		label, borderColor: colour, backgroundColor: colour, pointRadius: 2, tension: 0,
		data: points.map((point) => ({ x: x(point), y: point.components[key] })),
	}));
	componentsChart.update();
	document.getElementById('scores-chart').dataset.points = String(points.length);
	window.trustLedger = { ...(window.trustLedger || {}), scoresChart, componentsChart };
}

function contributionRows(contributions, names) {
	return Object.entries(contributions || {}).map(([key, value]) => el('tr', {},
		el('td', {}, names[key] || words(key)), el('td', { class: `num contrib ${value < 0 ? 'down' : value > 0 ? 'up' : ''}` }, signed(value, 2))));
}

function select(sequence) {
	selected = sequence;
	const point = points.find((candidate) => candidate.sequence === sequence);
	const recorded = events.get(sequence);
	const box = document.getElementById('details');
	if (!point) {
		box.replaceChildren(emptyState('That event is outside the range shown.'));
		return;
	}
	if (!recorded) {
		// older than the history pages read so far: read the events of its instant
		const at = encodeURIComponent(point.occurredAt);
		api(`/api/engagements/${encodeURIComponent(engagementId)}/events?from=${at}&to=${at}`)
			.then((found) => {
				found.events.forEach((event) => events.set(event.sequence, event));
				if (selected === sequence && events.has(sequence)) {
					select(sequence);
				}
			})
			.catch(() => { /* the details stay without what was recorded */ });
	}
	const explanation = point.explanation || {};
	const data = recorded ? Object.entries(recorded.data || {}).filter(([key]) => !['engagementId', 'recordedBy'].includes(key)) : [];
	box.replaceChildren(el('div', { 'data-testid': 'event-details', 'data-sequence': String(sequence) },
		el('p', {}, el('strong', {}, words(point.eventType)), ` · event #${sequence}`),
		el('dl', {},
			el('dt', {}, 'Occurred'), el('dd', {}, dateTime(point.occurredAt)),
			el('dt', {}, 'Recorded'), el('dd', { 'data-testid': 'recorded' }, recorded ? `${dateTime(recorded.recordedAt)} by ${recorded.recordedBy}` : '–'),
			el('dt', {}, 'Trust'), el('dd', {}, `${number(point.trust, 2)} (${signed(explanation.trustChange, 2)})`),
			el('dt', {}, 'Mutual resp.'), el('dd', {}, `${number(point.mutualResponsibility, 2)} (${signed(explanation.mutualChange, 2)})`),
			el('dt', {}, 'Model'), el('dd', {}, point.modelVersion || '–')),
		el('table', { 'aria-label': 'How this event moved trust' },
			el('thead', {}, el('tr', {}, el('th', {}, 'Trust component'), el('th', { class: 'num' }, 'Contribution'))),
			el('tbody', {}, contributionRows(explanation.trustContributions, { selfOrientation: 'Self-orientation' }))),
		el('table', { 'aria-label': 'How this event moved mutual responsibility' },
			el('thead', {}, el('tr', {}, el('th', {}, 'Party'), el('th', { class: 'num' }, 'Contribution'))),
			el('tbody', {}, contributionRows(explanation.mutualContributions, { vendor: 'Vendor ownership', client: 'Client ownership' }))),
		data.length ? el('dl', {}, data.flatMap(([key, value]) => [el('dt', {}, words(key)), el('dd', {}, value === null ? '–' : String(value))])) : null));
	drawCharts();
	document.querySelectorAll('[data-testid="event-row"]').forEach((row) => row.setAttribute('aria-selected', String(Number(row.dataset.sequence) === sequence)));
}

/** Says when the chart shows fewer points than the range holds, and where every one is. */
function renderReduction(timeline) {
	const note = document.getElementById('chart-note');
	if (!timeline.reduced) {
		note.hidden = true;
		note.replaceChildren();
		return;
	}
	note.hidden = false;
	note.replaceChildren(
		`Showing ${timeline.points.length} of ${timeline.pointsInRange} points: the first and the last, every alert, every change of model and the lowest and highest of each span are kept. `,
		el('a', { href: timeline.everyPoint, download: '' }, 'Every point as CSV'));
}

function renderHead() {
	const facts = [
		['Trust', number(engagement.trust)], ['Mutual responsibility', number(engagement.mutualResponsibility)],
		['30-day change', signed(engagement.trend30d)], ['Delivery lead', engagement.deliveryLead],
		['Account team', engagement.accountTeam], ['Sponsor', engagement.sponsor || 'none'],
		['Status', words(engagement.status)], ['Last event', date(engagement.lastEventAt)],
	];
	document.title = `${engagement.clientName} · Trust Ledger`;
	document.getElementById('head').replaceChildren(
		el('h1', {}, engagement.clientName, ' ', band(engagement.band), ' ',
			engagement.stale ? el('span', { class: 'tag stale', 'data-testid': 'stale', title: 'Nothing recorded for the stale period: the scores may be out of date.' }, 'stale') : null),
		el('dl', { class: 'facts' }, facts.map(([name, value]) => el('div', {}, el('dt', {}, name), el('dd', {}, value || '–')))));
}

function renderPromises() {
	// the answer lists the ids of the open and the overdue promises; the promises themselves are by id
	const overdue = new Set(engagement.overduePromises || []);
	const open = (engagement.openPromises || []).map((promiseId) => ({ ...((engagement.promises || {})[promiseId] || {}), promiseId }));
	const box = document.getElementById('promises');
	if (open.length === 0) {
		box.replaceChildren(emptyState('No open promises.'));
		return;
	}
	box.replaceChildren(el('ul', {}, open.map((promise) => el('li', { 'data-testid': overdue.has(promise.promiseId) ? 'overdue-promise' : 'open-promise' },
		el('strong', {}, promise.promiseId), ` (${words(promise.party)}) due ${date(promise.dueBy)} `,
		overdue.has(promise.promiseId) ? el('span', { class: 'tag stale' }, 'overdue') : null,
		promise.description ? el('div', { class: 'tag' }, promise.description) : null))));
}

async function renderAlerts() {
	const box = document.getElementById('alerts');
	try {
		const answer = await api(`/api/alerts?engagementId=${encodeURIComponent(engagementId)}`);
		box.replaceChildren(answer.alerts.length === 0 ? emptyState('No alerts for this engagement.')
			: el('ul', { class: 'alerts' }, answer.alerts.map((alert) => el('li', { 'data-testid': 'alert' },
				el('strong', {}, words(alert.kind)), ` on ${date(alert.occurredAt)}: trust ${number(alert.trust)} (peak ${number(alert.peakTrust)})`))));
	}
	catch (error) {
		box.replaceChildren(errorState('The alerts could not be loaded', error, renderAlerts));
	}
}

function renderEvents() {
	const box = document.getElementById('event-list');
	if (points.length === 0) {
		box.replaceChildren(emptyState('No events in this range. Choose a wider range.'));
		return;
	}
	box.replaceChildren(el('table', { class: 'responsive', 'data-testid': 'events' },
		el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Occurred'), el('th', {}, 'Event'), el('th', {}, 'Recorded by'),
			el('th', { class: 'num' }, 'Trust'), el('th', { class: 'num' }, 'Mutual resp.'), el('th', {}, ''))),
		el('tbody', {}, [...points].reverse().map((point) => {
			const recorded = events.get(point.sequence);
			return el('tr', { 'data-testid': 'event-row', 'data-sequence': String(point.sequence), 'aria-selected': String(point.sequence === selected) },
				el('td', { 'data-label': '#' }, point.sequence),
				el('td', { 'data-label': 'Occurred' }, dateTime(point.occurredAt)),
				el('td', { 'data-label': 'Event' }, words(point.eventType)),
				el('td', { 'data-label': 'Recorded by' }, recorded ? recorded.recordedBy : '–'),
				el('td', { class: 'num', 'data-label': 'Trust' }, `${number(point.trust)} (${signed(point.explanation.trustChange)})`),
				el('td', { class: 'num', 'data-label': 'Mutual resp.' }, `${number(point.mutualResponsibility)} (${signed(point.explanation.mutualChange)})`),
				el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => select(point.sequence), 'aria-label': `Explain event ${point.sequence}` }, 'Explain')));
		}))));
}

function range() {
	const form = document.getElementById('range');
	const span = form.span.value;
	document.querySelectorAll('#range .custom').forEach((node) => { node.hidden = span !== 'custom'; });
	const params = new URLSearchParams();
	if (span === 'custom') {
		if (form.from.value) {
			params.set('from', `${form.from.value}T00:00:00Z`);
		}
		if (form.to.value) {
			params.set('to', `${form.to.value}T23:59:59Z`);
		}
	}
	else if (span !== 'all' && engagement.lastEventAt) {
		params.set('from', new Date(Date.parse(engagement.lastEventAt) - Number(span) * DAY).toISOString());
	}
	return params;
}

/** Everything about the engagement, read again; the page itself is never reloaded. */
async function load() {
	try {
		const [view, timeline, history] = await Promise.all([
			api(`/api/engagements/${encodeURIComponent(engagementId)}`),
			api(`/api/engagements/${encodeURIComponent(engagementId)}/timeline`),
			api(`/api/engagements/${encodeURIComponent(engagementId)}/events`),
		]);
		engagement = view;
		events = new Map(history.events.map((event) => [event.sequence, event]));
		modelChanges = timeline.modelChanges || [];
		const params = range();
		const shown = params.toString()
			? await api(`/api/engagements/${encodeURIComponent(engagementId)}/timeline?${params}`)
			: timeline;
		const missing = shown.points.filter((point) => !events.has(point.sequence));
		if (missing.length > 0 && shown.pointsInRange <= HISTORY_PAGE) {
			// the history of the points shown, when the latest page does not hold them all;
			// a longer range gets the events of a point when it is selected
			const from = encodeURIComponent(missing[0].occurredAt);
			const to = encodeURIComponent(missing[missing.length - 1].occurredAt);
			const ranged = await api(`/api/engagements/${encodeURIComponent(engagementId)}/events?from=${from}&to=${to}&limit=${HISTORY_PAGE}`);
			ranged.events.forEach((event) => events.set(event.sequence, event));
		}
		points = shown.points;
		renderReduction(shown);
		document.getElementById('problem').replaceChildren();
	}
	catch (error) {
		const message = (error instanceof ApiError && error.status === 404)
			? emptyState(`No engagement "${engagementId}" has been projected yet. Check the id, or wait a moment if it was just opened.`, el('a', { href: '/' }, 'Back to the portfolio'))
			: errorState('The engagement could not be loaded', error, load);
		document.getElementById('problem').replaceChildren(message);
		return false;
	}
	renderHead();
	renderPromises();
	renderEvents();
	drawCharts();
	if (selected !== null) {
		select(selected);
	}
	return true;
}

/** Reads the engagement again once its projection has reached {@code sequence}. */
async function awaitSequence(sequence) {
	for (let attempt = 0; attempt < 60; attempt++) {
		try {
			const view = await api(`/api/engagements/${encodeURIComponent(engagementId)}`);
			if (view.lastSequence >= sequence) {
				await load();
				renderAlerts();
				return true;
			}
		}
		catch (error) {
			// not projected yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return false;
}

async function main() {
	if (!engagementId) {
		document.getElementById('problem').replaceChildren(emptyState('No engagement chosen.', el('a', { href: '/' }, 'Choose one in the portfolio')));
		return;
	}
	const me = await signedIn('engagement');
	document.getElementById('range').addEventListener('change', load);
	const loaded = await load();
	renderAlerts();
	if (loaded && me.mayRecord) {
		const types = await api('/dashboard/incident-types').catch(() => null);
		document.getElementById('record').hidden = false;
		document.getElementById('record-body').replaceChildren(types
			? incidentForm(engagementId, types, () => engagement, (recorded) => awaitSequence(recorded.sequence))
			: errorState('The incident types could not be loaded from the command service', new Error('unreachable')));
	}
	followLive({
		event: (event) => {
			if (event.engagementId === engagementId) {
				toast(`${words(shortType(event.type))} recorded by ${event.recordedBy}`);
				awaitSequence(event.sequence);
			}
		},
		alert: (alert) => {
			if (alert.engagementId === engagementId) {
				toast(`${words(alert.kind)}: trust ${number(alert.trust)}`);
				renderAlerts();
			}
		},
	});
	document.body.dataset.ready = 'true';
}

main().catch((error) => document.getElementById('problem').replaceChildren(errorState('The page could not start', error)));
