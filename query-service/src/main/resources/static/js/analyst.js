import { api, band, dateTime, el, emptyState, errorState, number, signed, signedIn, words } from './common.js';

const candidate = document.getElementById('candidate');
let following = null;

function progressView(replay) {
	const total = Math.max(replay.eventsTotal || 0, 1);
	const done = replay.phase === 'DONE';
	return el('div', { 'data-testid': 'replay-progress', 'data-phase': replay.phase },
		el('p', {}, el('strong', {}, `${words(replay.kind)} #${replay.id}`), replay.model ? ` · model ${replay.model}` : '', ` · ${words(replay.phase)}`),
		el('progress', { max: total, value: done ? total : replay.eventsProcessed, 'aria-label': 'Events processed' }),
		el('p', { class: 'tag' }, `${replay.eventsProcessed} of ${replay.eventsTotal} events · ${replay.eventsPerSecond} events/s`,
			replay.etaSeconds !== null && replay.etaSeconds !== undefined && !done ? ` · about ${replay.etaSeconds} s left` : '',
			replay.error ? ` · ${replay.error}` : ''),
		!['DONE', 'CANCELLED', 'FAILED'].includes(replay.phase)
			? el('button', { type: 'button', class: 'secondary', onclick: () => cancel(replay.id) }, 'Cancel') : null);
}

async function follow(id) {
	following = id;
	const box = document.getElementById('progress');
	while (following === id) {
		let replay;
		try {
			replay = await api(`/api/replays/${id}`);
		}
		catch (error) {
			box.replaceChildren(errorState('The progress could not be read', error, () => follow(id)));
			return;
		}
		box.replaceChildren(progressView(replay));
		if (['DONE', 'CANCELLED', 'FAILED'].includes(replay.phase)) {
			following = null;
			loadReplays();
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

async function start(path, body) {
	const box = document.getElementById('progress');
	try {
		const started = await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : '{}' });
		follow(started.id);
	}
	catch (error) {
		box.replaceChildren(errorState('Not started', error));
	}
}

async function cancel(id) {
	try {
		await api(`/api/replays/${id}`, { method: 'DELETE' });
	}
	catch (error) {
		document.getElementById('progress').replaceChildren(errorState('Not cancelled', error));
	}
}

async function loadReplays() {
	const box = document.getElementById('replays');
	try {
		const answer = await api('/api/replays');
		const replays = answer.replays || [];
		box.replaceChildren(replays.length === 0 ? emptyState('No rebuild or run yet.')
			: el('table', { class: 'responsive' },
				el('thead', {}, el('tr', {}, ['#', 'Kind', 'Model', 'Phase', 'Events', 'Started', 'Finished'].map((name) => el('th', {}, name)))),
				el('tbody', {}, replays.slice(0, 10).map((replay) => el('tr', {},
					el('td', { 'data-label': '#' }, replay.id), el('td', { 'data-label': 'Kind' }, words(replay.kind)),
					el('td', { 'data-label': 'Model' }, replay.model || '–'), el('td', { 'data-label': 'Phase' }, words(replay.phase)),
					el('td', { 'data-label': 'Events' }, replay.eventsProcessed), el('td', { 'data-label': 'Started' }, dateTime(replay.startedAt)),
					el('td', { 'data-label': 'Finished' }, dateTime(replay.finishedAt)))))));
		const running = replays.find((replay) => !['DONE', 'CANCELLED', 'FAILED'].includes(replay.phase));
		if (running && following === null) {
			follow(running.id);
		}
	}
	catch (error) {
		box.replaceChildren(errorState('The rebuilds could not be listed', error, loadReplays));
	}
}

async function loadModels() {
	try {
		const answer = await api('/api/models');
		const candidates = (answer.models || []).map((model) => (typeof model === 'string' ? model : model.version)).filter((version) => version !== answer.live);
		candidate.replaceChildren(...(candidates.length ? candidates.map((version) => el('option', { value: version }, version))
			: [el('option', { value: '' }, 'none uploaded')]));
		document.getElementById('run-candidate').disabled = candidates.length === 0;
		document.getElementById('promote').disabled = candidates.length === 0;
		document.getElementById('run-title').textContent = `Rebuilds and model runs (live model: ${answer.live})`;
	}
	catch (error) {
		candidate.replaceChildren(el('option', { value: '' }, 'could not load'));
	}
}

function side(scores) {
	return [number(scores.trust), ' ', band(scores.band)];
}

async function compare(event) {
	if (event) {
		event.preventDefault();
	}
	const box = document.getElementById('comparison');
	if (!candidate.value) {
		box.replaceChildren(emptyState('Upload a candidate model first: ./trustledger-cli model upload, or PUT /api/models/{version}.'));
		return;
	}
	const at = document.getElementById('at').value;
	try {
		const answer = await api(`/api/models/${encodeURIComponent(candidate.value)}/comparison?limit=20${at ? `&at=${at}T23:59:59Z` : ''}`);
		if (answer.biggestMovers.length === 0) {
			box.replaceChildren(emptyState('The sandbox has no engagements to compare.'));
			return;
		}
		box.replaceChildren(el('p', { class: 'tag' }, `Model ${answer.candidate} against live ${answer.live}; sandbox built ${dateTime(answer.sandboxFinishedAt)}. Biggest movers first.`),
			el('table', { class: 'responsive', 'data-testid': 'comparison' },
				el('thead', {}, el('tr', {}, el('th', {}, 'Engagement'), el('th', {}, 'Live trust'), el('th', {}, 'Candidate trust'),
					el('th', { class: 'num' }, 'Change'), at ? el('th', { class: 'num' }, `Change as of ${at}`) : null, el('th', {}, ''))),
				el('tbody', {}, answer.biggestMovers.map((item) => el('tr', { 'data-testid': 'mover' },
					el('td', { 'data-label': 'Engagement' }, el('a', { href: `/engagement.html?id=${encodeURIComponent(item.engagementId)}` }, item.clientName || item.engagementId)),
					el('td', { 'data-label': 'Live' }, side(item.live)),
					el('td', { 'data-label': 'Candidate' }, side(item.candidate)),
					el('td', { class: `num ${item.trustDelta < 0 ? 'down' : 'up'}`, 'data-label': 'Change' }, signed(item.trustDelta, 2)),
					at ? el('td', { class: 'num', 'data-label': 'As of' }, signed(item.atDates[0].trustDelta, 2)) : null,
					el('td', {}, item.sandboxBehind ? el('span', { class: 'tag stale', title: 'Events recorded since the sandbox was built are not in it.' }, 'sandbox behind') : ''))))));
	}
	catch (error) {
		box.replaceChildren(errorState('No comparison', error));
	}
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attributes = {}, ...children) {
	const node = document.createElementNS(SVG, tag);
	Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
	node.append(...children);
	return node;
}

const COLOURS = { trust: '#1d4ed8', mutualResponsibility: '#7c3aed', brokenPromises180d: '#6b7280' };

/** The back-test's predictors by name; the baseline says what it counts. */
const PREDICTORS = { trust: 'Trust', mutualResponsibility: 'Mutual responsibility', brokenPromises180d: 'Baseline: broken promises in 180 days' };

function predictorName(name) {
	return PREDICTORS[name] || words(name);
}

/** The ROC curve of each predictor, with the diagonal a coin would draw. */
function rocChart(predictors) {
	const size = 220;
	const at = (x, y) => `${(10 + x * (size - 20)).toFixed(1)},${(size - 10 - y * (size - 20)).toFixed(1)}`;
	const names = Object.keys(predictors);
	return svgEl('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: 'img', 'data-testid': 'roc',
		'aria-label': `ROC curves: ${names.map((name) => `${predictorName(name)} AUC ${predictors[name].auc ?? 'n/a'}`).join(', ')}` },
	svgEl('rect', { x: 10, y: 10, width: size - 20, height: size - 20, fill: 'none', stroke: '#d1d5db' }),
	svgEl('polyline', { points: `${at(0, 0)} ${at(1, 1)}`, fill: 'none', stroke: '#d1d5db', 'stroke-dasharray': '4 3' }),
	...names.map((name) => svgEl('polyline', { points: predictors[name].roc.map(([x, y]) => at(x, y)).join(' '),
		fill: 'none', stroke: COLOURS[name] || '#111827', 'stroke-width': 2 })));
}

/** The share of bad outcomes in each band of trust at the horizon, as bars. */
function calibrationChart(calibration) {
	const bands = Object.keys(calibration);
	const width = 240;
	const height = 140;
	const bar = (width - 20) / bands.length;
	return svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-testid': 'calibration',
		'aria-label': `Bad outcomes by band: ${bands.map((name) => `${words(name)} ${calibration[name].badRate ?? 'n/a'} of ${calibration[name].outcomes}`).join(', ')}` },
	...bands.map((name, index) => {
		const rate = calibration[name].badRate || 0;
		const barHeight = rate * (height - 40);
		return svgEl('g', {},
			svgEl('rect', { x: 10 + index * bar + 6, y: height - 24 - barHeight, width: bar - 12, height: barHeight, fill: '#b3261e' }),
			svgEl('text', { x: 10 + index * bar + bar / 2, y: height - 8, 'text-anchor': 'middle', 'font-size': 11 }, `${words(name)} (${calibration[name].outcomes})`),
			svgEl('text', { x: 10 + index * bar + bar / 2, y: height - 28 - barHeight, 'text-anchor': 'middle', 'font-size': 11 }, calibration[name].badRate === null ? 'n/a' : `${Math.round(rate * 100)} %`));
	}));
}

function auc(predictor) {
	return predictor.auc === null ? 'n/a' : `${predictor.auc.toFixed(3)} (${predictor.aucLow.toFixed(3)}–${predictor.aucHigh.toFixed(3)})`;
}

function misses(title, list) {
	return [el('h3', {}, title), list.length === 0 ? el('p', {}, 'None.')
		: el('table', { class: 'responsive' },
			el('thead', {}, el('tr', {}, el('th', {}, 'Engagement'), el('th', {}, 'Outcome'), el('th', {}, 'On'), el('th', { class: 'num' }, 'Trust before'))),
			el('tbody', {}, list.map((miss) => el('tr', {},
				el('td', { 'data-label': 'Engagement' }, el('a', { href: miss.timeline }, miss.engagementId)),
				el('td', { 'data-label': 'Outcome' }, words(miss.kind)),
				el('td', { 'data-label': 'On' }, dateTime(miss.outcomeAt)),
				el('td', { class: 'num', 'data-label': 'Trust before' }, number(miss.trust), ' ', band(miss.band))))))];
}

async function backtest(event) {
	event.preventDefault();
	const box = document.getElementById('backtest');
	const model = document.getElementById('backtest-model').value;
	box.replaceChildren(el('p', { class: 'tag' }, 'Back-testing…'));
	try {
		const answer = await api(`/api/models/${encodeURIComponent(model)}/backtest?horizon=${document.getElementById('horizon').value}`);
		if (answer.outcomes === 0) {
			box.replaceChildren(emptyState(`No outcome could be scored ${answer.horizonDays} days before it (${answer.unscored} had nothing recorded yet). Record renewals, escalations and endings first.`));
			return;
		}
		const predictors = answer.predictors;
		box.replaceChildren(
			el('p', {}, `Model ${answer.model}, ${answer.horizonDays} days ahead: ${answer.outcomes} outcomes (${answer.bad} bad, ${answer.good} good; ${answer.unscored} too early to score). `,
				`Bad outcomes that looked healthy: ${answer.healthyShare === null ? 'n/a' : `${Math.round(answer.healthyShare * 100)} %`}; median warning before a bad outcome: ${answer.medianLeadDays === null ? 'n/a' : `${Math.round(answer.medianLeadDays)} days`}.`),
			el('table', { class: 'responsive', 'data-testid': 'backtest-table' },
				el('thead', {}, el('tr', {}, el('th', {}, 'Predictor'), el('th', {}, 'AUC (95 % interval)'), el('th', { class: 'num' }, 'Riskiest tenth: lift'))),
				el('tbody', {}, Object.entries(predictors).map(([name, predictor]) => el('tr', {},
					el('td', { 'data-label': 'Predictor' }, el('span', { style: `color:${COLOURS[name] || '#111827'}` }, '■ '), predictorName(name)),
					el('td', { 'data-label': 'AUC' }, auc(predictor)),
					el('td', { class: 'num', 'data-label': 'Lift' }, predictor.topDecileLift === null ? 'n/a' : predictor.topDecileLift.toFixed(2)))))),
			el('div', { class: 'filters' }, el('figure', {}, rocChart(predictors), el('figcaption', {}, 'ROC: bad outcomes caught against good ones flagged')),
				el('figure', {}, calibrationChart(answer.calibration), el('figcaption', {}, 'Share of bad outcomes by band of trust at the horizon'))),
			...misses('Bad outcomes that looked healthiest', answer.missedBad),
			...misses('Good outcomes that looked worst', answer.missedGood));
	}
	catch (error) {
		box.replaceChildren(errorState('No back-test', error));
	}
}

async function loadBacktestModels() {
	const select = document.getElementById('backtest-model');
	try {
		const answer = await api('/api/models');
		const versions = (answer.models || []).map((model) => (typeof model === 'string' ? model : model.version));
		select.replaceChildren(...versions.map((version) => el('option', { value: version, selected: version === answer.live }, version)));
	}
	catch (error) {
		select.replaceChildren(el('option', { value: '' }, 'could not load'));
	}
}

async function main() {
	await signedIn('analyst');
	document.getElementById('rebuild').addEventListener('click', () => start('/api/replays'));
	document.getElementById('run-candidate').addEventListener('click', () => start(`/api/models/${encodeURIComponent(candidate.value)}/runs`));
	document.getElementById('promote').addEventListener('click', () => {
		if (confirm(`Rebuild everything under model ${candidate.value} and make it live? Timelines will mark the change.`)) {
			start(`/api/models/${encodeURIComponent(candidate.value)}/promotion`);
		}
	});
	document.getElementById('compare-form').addEventListener('submit', compare);
	document.getElementById('backtest-form').addEventListener('submit', backtest);
	await Promise.all([loadModels(), loadReplays(), loadBacktestModels()]);
	document.body.dataset.ready = 'true';
}

main().catch((error) => document.querySelector('main').prepend(errorState('The page could not start', error)));
