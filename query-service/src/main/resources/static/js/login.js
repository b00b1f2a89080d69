import { csrfToken } from './common.js';

const form = document.getElementById('login');
form.addEventListener('submit', () => {
	document.getElementById('csrf').value = csrfToken();
});
document.getElementById('csrf').value = csrfToken();
const query = new URLSearchParams(location.search);
const message = document.getElementById('message');
const texts = {
	error: 'That user and password do not match. Try again.',
	signedOut: 'You are signed out.',
	expired: 'Your session ended. Sign in again.',
};
for (const [key, text] of Object.entries(texts)) {
	if (query.has(key)) {
		message.textContent = text;
		message.className = key === 'error' ? 'error' : 'notice';
		message.hidden = false;
	}
}
