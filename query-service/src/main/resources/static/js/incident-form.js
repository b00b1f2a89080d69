import { api, ApiError, el, words } from './common.js';

/** The input a field asks for, as the command service describes it. */
function inputFor(spec) {
	switch (spec.input) {
	case 'choice':
		return el('select', {}, el('option', { value: '' }, 'Choose…'), (spec.options || []).map((option) => el('option', { value: option.value }, option.label)));
	case 'number':
		return el('input', { type: 'number', min: spec.min, max: spec.max, step: 1, inputmode: 'numeric' });
	case 'instant':
		return el('input', { type: 'datetime-local' });
	case 'promise':
		return el('input', { list: 'promise-ids', autocomplete: 'off' });
	case 'incident':
		return el('input', { list: 'incident-ids', autocomplete: 'off' });
	default:
		return el('input', { autocomplete: 'off' });
	}
}

/** A field's value as the API takes it. */
function valueOf(spec, value) {
	return spec.input === 'number' ? Number(value) : spec.input === 'instant' ? instant(value) : value;
}

/** A v4 UUID, also where crypto.randomUUID is missing (pages not served over HTTPS or localhost). */
function uuid() {
	if (crypto.randomUUID) {
		return crypto.randomUUID();
	}
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function localNow() {
	const now = new Date();
	return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().substring(0, 16);
}

function instant(localValue) {
	return localValue ? new Date(localValue).toISOString() : null;
}

/**
 * The form that records an incident. Fields show for the chosen type as the command
 * service defines it; its problem+json answers appear inline next to the field at fault.
 * The incident id, the idempotency key, stays the same until the incident is recorded,
 * so sending again after a lost answer records it once.
 */
export function incidentForm(engagementId, types, engagement, onRecorded) {
	const byType = new Map(types.types.map((type) => [type.type, type]));
	// every field, what it is and how it is asked for, comes from the command service
	const specs = types.fields;
	let incidentId = uuid();
	const fields = {};
	const errors = {};
	const field = (name, label, input, wide = false) => {
		input.id = `incident-${name}`;
		input.name = name;
		errors[name] = el('div', { class: 'field-error', id: `incident-${name}-error`, 'data-testid': `error-${name}` });
		input.setAttribute('aria-describedby', errors[name].id);
		const wrapper = el('div', { class: `field${wide ? ' wide' : ''}`, 'data-field': name }, el('label', { for: input.id }, label), input, errors[name]);
		fields[name] = { input, wrapper };
		return wrapper;
	};
	const typeSelect = el('select', { required: true }, el('option', { value: '' }, 'Choose…'),
		types.types.map((type) => el('option', { value: type.type }, words(type.type))));
	const summary = el('div', { role: 'alert', 'data-testid': 'form-error', class: 'field-error wide' });
	const notice = el('div', { role: 'status', 'aria-live': 'polite', class: 'wide', 'data-testid': 'form-notice' });
	const submit = el('button', { type: 'submit' }, 'Record');
	const form = el('form', { class: 'incident', 'data-testid': 'incident-form', novalidate: true },
		field('type', 'Incident', typeSelect),
		field('occurredAt', 'Occurred at (your time)', el('input', { type: 'datetime-local', value: localNow(), required: true })),
		Object.entries(specs).map(([name, spec]) => field(name, spec.label, inputFor(spec))),
		field('note', 'Note', el('textarea', { rows: 2, maxlength: 2000 }), true),
		el('datalist', { id: 'promise-ids' }, (engagement().openPromises || []).map((promiseId) => el('option', { value: promiseId }))),
		el('datalist', { id: 'incident-ids' }),
		summary, notice,
		el('div', { class: 'wide' }, submit));

	const showFields = () => {
		const type = byType.get(typeSelect.value);
		for (const name of Object.keys(specs)) {
			const required = type ? type.required.includes(name) : false;
			const used = type ? required || type.optional.includes(name) : false;
			fields[name].wrapper.hidden = !used;
			fields[name].input.required = required;
			fields[name].wrapper.querySelector('label').textContent = specs[name].label + (used && !required ? ' (optional)' : '');
		}
		if (type && type.impliedParty) {
			fields.party.input.value = type.impliedParty;
		}
	};
	const clearErrors = () => {
		Object.values(errors).forEach((node) => { node.textContent = ''; });
		Object.values(fields).forEach(({ input }) => input.removeAttribute('aria-invalid'));
		summary.textContent = '';
	};
	const showError = (name, message) => {
		if (errors[name] && !fields[name].wrapper.hidden) {
			errors[name].textContent = message;
			fields[name].input.setAttribute('aria-invalid', 'true');
			return true;
		}
		return false;
	};
	typeSelect.addEventListener('change', () => { clearErrors(); showFields(); });
	showFields();

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		clearErrors();
		notice.textContent = '';
		const body = { incidentId, type: typeSelect.value || null, occurredAt: instant(fields.occurredAt.input.value) };
		for (const name of Object.keys(specs)) {
			const value = fields[name].input.value.trim();
			if (!fields[name].wrapper.hidden && value !== '') {
				body[name] = valueOf(specs[name], value);
			}
		}
		const note = fields.note.input.value.trim();
		if (note) {
			body.note = note;
		}
		submit.disabled = true;
		try {
			const recorded = await api(`/dashboard/engagements/${encodeURIComponent(engagementId)}/incidents`, {
				method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
			});
			notice.className = 'notice wide';
			notice.textContent = `Recorded as event #${recorded.sequence}. It appears on the timeline as soon as it is scored.`;
			incidentId = uuid();
			form.reset();
			fields.occurredAt.input.value = localNow();
			showFields();
			onRecorded(recorded);
		}
		catch (error) {
			const problem = error instanceof ApiError ? error.problem : null;
			const listed = (problem && problem.errors) || (problem && problem.field ? [{ field: problem.field, message: problem.detail }] : []);
			const unplaced = listed.filter((item) => !showError(item.field, item.message));
			if (listed.length === 0 || unplaced.length > 0) {
				summary.textContent = `Not recorded: ${problem ? `${problem.detail} (${problem.code})` : error.message}`;
			}
			else {
				summary.textContent = 'Not recorded: correct the marked fields.';
			}
			const first = form.querySelector('[aria-invalid="true"]');
			if (first) {
				first.focus();
			}
		}
		finally {
			submit.disabled = false;
		}
	});
	return form;
}
