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
	await Promise.all([loadModels(), loadReplays()]);
	document.body.dataset.ready = 'true';
}

main().catch((error) => document.querySelector('main').prepend(errorState('The page could not start', error)));
