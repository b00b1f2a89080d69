import { api, dateTime, el, emptyState, errorState, signedIn, toast, words } from './common.js';

const json = { 'Content-Type': 'application/json' };

function names(value) {
	return value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
}

/** The secret, shown the one time an answer carries it. */
function secretView(answer, what) {
	return el('div', { class: 'notice', 'data-testid': 'secret' },
		el('p', {}, el('strong', {}, what), ` Its signing secret is shown this once: keep it where the receiver checks signatures.`),
		el('code', { 'data-testid': 'secret-value' }, answer.secret));
}

async function subscribe(event) {
	event.preventDefault();
	const form = event.target;
	const box = document.getElementById('created');
	const body = {
		url: form.url.value,
		format: form.format.value,
		kinds: Array.from(form.querySelectorAll('input[name=kinds]:checked')).map((box) => box.value),
		deliveryLeads: names(form.deliveryLeads.value),
		accountTeams: names(form.accountTeams.value),
	};
	if (form.description.value) {
		body.description = form.description.value;
	}
	if (body.kinds.length === form.querySelectorAll('input[name=kinds]').length) {
		body.kinds = [];
	}
	try {
		const answer = await api('/api/webhooks', { method: 'POST', headers: json, body: JSON.stringify(body) });
		box.replaceChildren(secretView(answer, `Subscribed ${answer.subscription.url}.`));
		form.reset();
		await load();
	}
	catch (error) {
		box.replaceChildren(errorState('Not subscribed', error));
		const field = error.problem && error.problem.field;
		if (field && form[field] && form[field].focus) {
			form[field].focus();
		}
	}
}

async function act(subscription, action) {
	const path = `/api/webhooks/${encodeURIComponent(subscription.id)}`;
	const box = document.getElementById('created');
	try {
		if (action === 'test') {
			const test = await api(`${path}/test`, { method: 'POST' });
			const attempt = test.attempt;
			toast(`${test.delivered ? 'Delivered' : 'Not delivered'}: ${attempt.status ? `HTTP ${attempt.status}` : attempt.error} in ${attempt.millis} ms`);
			await showLog(subscription);
		}
		else if (action === 'rotate') {
			if (!confirm('Make a new signing secret? The current one goes on signing beside it for 24 hours.')) {
				return;
			}
			box.replaceChildren(secretView(await api(`${path}/secret`, { method: 'POST' }), `New secret for ${subscription.url}.`));
		}
		else if (action === 'delete') {
			if (!confirm(`Delete the subscription of ${subscription.url}? Deliveries still outstanding are abandoned.`)) {
				return;
			}
			await api(path, { method: 'DELETE' });
			toast('Deleted');
		}
		else {
			await api(`${path}/${action}`, { method: 'POST' });
			toast(action === 'enable' ? 'Enabled' : 'Disabled');
		}
		await load();
	}
	catch (error) {
		box.replaceChildren(errorState(`${words(action)} did not work`, error));
	}
}

function filters(subscription) {
	const parts = [];
	parts.push(subscription.kinds.length ? subscription.kinds.map(words).join(', ') : 'every alert');
	if (subscription.deliveryLeads.length) {
		parts.push(`led by ${subscription.deliveryLeads.join(', ')}`);
	}
	if (subscription.accountTeams.length) {
		parts.push(`teams ${subscription.accountTeams.join(', ')}`);
	}
	return parts.join(' · ');
}

async function load() {
	const box = document.getElementById('subscriptions');
	let answer;
	try {
		answer = await api('/api/webhooks');
	}
	catch (error) {
		box.replaceChildren(errorState('The subscriptions could not be read', error, load));
		return;
	}
	if (answer.subscriptions.length === 0) {
		box.replaceChildren(emptyState('No subscriptions yet: alerts reach people only on this dashboard.'));
		return;
	}
	box.replaceChildren(el('table', { class: 'responsive' },
		el('thead', {}, el('tr', {}, el('th', {}, 'URL'), el('th', {}, 'Sends'), el('th', {}, 'Format'), el('th', {}, 'State'), el('th', {}, 'Owner'), el('th', {}, ''))),
		el('tbody', {}, answer.subscriptions.map((subscription) => el('tr', { 'data-testid': 'subscription', 'data-id': subscription.id },
			el('td', { 'data-label': 'URL' }, el('code', {}, subscription.url), subscription.description ? el('div', { class: 'tag' }, subscription.description) : null),
			el('td', { 'data-label': 'Sends' }, filters(subscription)),
			el('td', { 'data-label': 'Format' }, words(subscription.format)),
			el('td', { 'data-label': 'State', 'data-testid': 'state' }, subscription.enabled
				? (subscription.consecutiveFailures ? `enabled · ${subscription.consecutiveFailures} failures in a row` : 'enabled')
				: el('span', { class: 'tag stale', title: subscription.disabledReason || '' }, `disabled: ${subscription.disabledReason || ''}`)),
			el('td', { 'data-label': 'Owner' }, subscription.owner),
			el('td', {},
				el('button', { type: 'button', class: 'secondary', onclick: () => act(subscription, 'test') }, 'Send a test'),
				el('button', { type: 'button', class: 'secondary', onclick: () => showLog(subscription) }, 'Log'),
				el('button', { type: 'button', class: 'secondary', onclick: () => act(subscription, subscription.enabled ? 'disable' : 'enable') }, subscription.enabled ? 'Disable' : 'Enable'),
				el('button', { type: 'button', class: 'secondary', onclick: () => act(subscription, 'rotate') }, 'New secret'),
				el('button', { type: 'button', class: 'secondary', onclick: () => act(subscription, 'delete') }, 'Delete')))))));
}

async function showLog(subscription) {
	const section = document.getElementById('log-section');
	const box = document.getElementById('log');
	section.hidden = false;
	document.getElementById('log-title').textContent = `Delivery log of ${subscription.url}`;
	try {
		const answer = await api(`/api/webhooks/${encodeURIComponent(subscription.id)}/deliveries?limit=100`);
		if (answer.deliveries.length === 0) {
			box.replaceChildren(emptyState('Nothing sent yet.'));
			return;
		}
		box.replaceChildren(el('table', { class: 'responsive', 'data-testid': 'deliveries' },
			el('thead', {}, el('tr', {}, el('th', {}, 'Alert'), el('th', {}, 'State'), el('th', {}, 'Attempts'), el('th', {}, 'Last answer'), el('th', {}, 'Queued'))),
			el('tbody', {}, answer.deliveries.map((delivery) => {
				const last = delivery.attempts.length ? delivery.attempts[delivery.attempts.length - 1] : null;
				return el('tr', { 'data-testid': 'delivery' },
					el('td', { 'data-label': 'Alert' }, delivery.engagementId
						? el('a', { href: `/engagement.html?id=${encodeURIComponent(delivery.engagementId)}` }, `${words(delivery.kind || '')} · ${delivery.engagementId}`)
						: `${words(delivery.kind || '')}${delivery.test ? ' (test)' : ''}`),
					el('td', { 'data-label': 'State' }, words(delivery.state), delivery.reason ? el('div', { class: 'tag' }, delivery.reason) : null,
						delivery.nextAttemptAt ? el('div', { class: 'tag' }, `next ${dateTime(delivery.nextAttemptAt)}`) : null),
					el('td', { 'data-label': 'Attempts', class: 'num' }, String(delivery.attemptCount)),
					el('td', { 'data-label': 'Last answer' }, last ? (last.status ? `HTTP ${last.status}` : last.error) : '–'),
					el('td', { 'data-label': 'Queued' }, dateTime(delivery.queuedAt)));
			}))));
	}
	catch (error) {
		box.replaceChildren(errorState('The log could not be read', error));
	}
}

async function main() {
	await signedIn('webhooks');
	document.getElementById('subscribe').addEventListener('submit', subscribe);
	await load();
	document.body.dataset.ready = 'true';
}

main().catch((error) => document.querySelector('main').prepend(errorState('The page could not start', error)));
