package dev.trustledger.query.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * After signing in on the dashboard's form: back to the page asked for, and the user's
 * own Basic credential kept in the server-side session, so the incidents they record on
 * the dashboard reach the command service as theirs (recorded-by is the signed-in user)
 * and are checked there against their role. It never leaves the server and goes with the
 * session.
 */
class SignInHandler extends SavedRequestAwareAuthenticationSuccessHandler {

	static final String CREDENTIAL = SignInHandler.class.getName() + ".credential";

	SignInHandler() {
		setDefaultTargetUrl("/");
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws ServletException, IOException {
		String password = request.getParameter("password");
		if (password != null) {
			String pair = authentication.getName() + ":" + password;
			request.getSession()
				.setAttribute(CREDENTIAL,
						"Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
		}
		super.onAuthenticationSuccess(request, response, authentication);
	}

	/** The credential to act with: the request's own, or the one kept at sign-in. */
	static String credential(HttpServletRequest request) {
		String own = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (own != null) {
			return own;
		}
		jakarta.servlet.http.HttpSession session = request.getSession(false);
		return (session != null) ? (String) session.getAttribute(CREDENTIAL) : null;
	}

}
