package dev.trustledger.query.dashboard;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * After signing in on the dashboard's form: back to the page asked for, and a relay token
 * kept in the server-side session ({@link RelayCredentials}), so that the incidents the
 * user records on the dashboard reach the command service as theirs (recorded-by is the
 * signed-in user) and are checked there against their role. The password itself is not
 * kept.
 */
class SignInHandler extends SavedRequestAwareAuthenticationSuccessHandler {

	private final RelayCredentials relay;

	SignInHandler(RelayCredentials relay) {
		this.relay = relay;
		setDefaultTargetUrl("/");
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws ServletException, IOException {
		String password = request.getParameter("password");
		if (password != null) {
			this.relay.signedIn(request.getSession(), authentication.getName(), password);
		}
		super.onAuthenticationSuccess(request, response, authentication);
	}

}
