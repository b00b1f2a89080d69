package dev.trustledger.system;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trustledger.infra.DemoLoader;
import dev.trustledger.infra.DemoUsers;
import dev.trustledger.infra.GeneratedPortfolio;
import dev.trustledger.scoring.ScoringEngine;
import dev.trustledger.scoring.ScoringModel;
import dev.trustledger.scoring.backtest.Backtest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver (never a downloaded browser), against both services running from
 * their jars with the seed scenarios loaded. Screenshots of every page go to
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

	private static final Path SCREENSHOTS = SystemUnderTest.home().resolve("system-tests/target/screenshots");

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	static Path dataDir;

	private SystemUnderTest system;

	/** Events per seeded engagement, counted from the seed files themselves. */
	private final Map<String, Integer> seededEvents = new HashMap<>();

	private ChromeDriver browser;

	@BeforeAll
	void startSystemWithTheSeeds() throws IOException {
		try (Stream<Path> files = Files.list(SystemUnderTest.home().resolve("seeds/scenarios"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".json")).toList()) {
				JsonNode scenario = SystemUnderTest.parse(Files.readString(file));
				this.seededEvents.put(scenario.path("engagement").path("engagementId").asText(),
						1 + scenario.path("incidents").size());
			}
		}
		this.system = new SystemUnderTest("dashboard", dataDir).start();
		new DemoLoader(SystemUnderTest.home().resolve("seeds"), dataDir, this.system.user("ACCOUNT_TEAM"))
			.loadOnce(this.system.commandService().baseUri());
		this.seededEvents.forEach((id, events) -> await().atMost(Duration.ofSeconds(90))
			.until(() -> this.system.engagement(id),
					(view) -> view != null && view.path("eventCount").asInt() == events));
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterAll
	void stopSystem() {
		if (this.system != null) {
			this.system.close();
		}
	}

	@BeforeEach
	void openBrowser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
				"--lang=en-GB");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of(System.getProperty("chromedriver.path", "/usr/bin/chromedriver")).toFile())
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void eachRoleSignsInAndIsOfferedOnlyWhatItMayDo() {
		this.browser.get(url("/"));
		assertThat(this.browser.getCurrentUrl()).endsWith("/login");
		screenshot("login");
		signIn("DELIVERY_LEAD", "not-the-password");
		assertThat(this.browser.getCurrentUrl()).contains("/login?error");
		assertThat(text(By.id("message"))).contains("do not match");

		Map<String, List<Boolean>> offered = new HashMap<>();
		for (String role : List.of("ACCOUNT_TEAM", "DELIVERY_LEAD", "ANALYST", "ADMIN")) {
			DemoUsers.User user = this.system.user(role);
			// leave the previous role's page for the sign-in page, which calls no API,
			// before
			// dropping its session: a call of that page still in flight would otherwise
			// come
			// back 401 and send the browser to the sign-in page while this one loads it
			this.browser.get(url("/login"));
			this.browser.manage().deleteAllCookies();
			signIn(role);
			awaitReady();
			assertThat(text(By.cssSelector("[data-testid=who]"))).startsWith(user.name());
			boolean analystLink = !this.browser.findElements(By.cssSelector("[data-testid=nav-analyst]")).isEmpty();
			boolean webhooksLink = !this.browser.findElements(By.cssSelector("[data-testid=nav-webhooks]")).isEmpty();
			open("/engagement.html?id=harbour-freight");
			boolean recordForm = !this.browser.findElements(By.cssSelector("[data-testid=incident-form]")).isEmpty();
			this.browser.get(url("/analyst.html"));
			boolean analystPage = this.browser.findElements(By.cssSelector("[data-testid=forbidden]")).isEmpty();
			this.browser.get(url("/webhooks.html"));
			boolean webhooksPage = this.browser.findElements(By.cssSelector("[data-testid=forbidden]")).isEmpty();
			offered.put(role, List.of(analystLink, recordForm, analystPage, webhooksLink, webhooksPage));
		}
		assertThat(offered).containsEntry("ACCOUNT_TEAM", List.of(false, true, false, false, false))
			.containsEntry("DELIVERY_LEAD", List.of(false, false, false, true, true))
			.containsEntry("ANALYST", List.of(true, false, true, false, false))
			.containsEntry("ADMIN", List.of(true, true, true, true, true));
	}

	@Test
	void thePortfolioListsTheSeededEngagementsInRiskOrder() {
		signIn("DELIVERY_LEAD");
		awaitReady();
		List<PortfolioRow> rows = portfolioRows();
		assertThat(rows).extracting(PortfolioRow::engagementId)
			.containsExactlyInAnyOrderElementsOf(this.seededEvents.keySet());
		assertThat(rows).extracting(PortfolioRow::trust).isSortedAccordingTo(Double::compare);
		assertThat(rows.get(0).band()).isEqualTo("At risk");
		assertThat(this.browser.findElements(By.cssSelector("[data-testid=open-alerts] [data-testid=alert]")))
			.isNotEmpty();
		screenshot("portfolio");

		new Select(this.browser.findElement(By.id("band"))).selectByValue("HEALTHY");
		new WebDriverWait(this.browser, WAIT).until((driver) -> {
			List<PortfolioRow> shown = portfolioRows();
			return !shown.isEmpty() && shown.stream().allMatch((row) -> row.band().equals("Healthy"));
		});
		assertThat(this.browser.getCurrentUrl()).contains("band=HEALTHY");
	}

	@Test
	void anEngagementTimelineHasOneMarkerPerEventAndExplainsTheOneSelected() {
		signIn("DELIVERY_LEAD");
		open("/engagement.html?id=harbour-freight");
		int events = this.seededEvents.get("harbour-freight");
		assertThat(markers()).isEqualTo(events);
		assertThat(this.browser.findElements(By.cssSelector("[data-testid=event-row]"))).hasSize(events);
		// within the point budget: every point shown, and nothing said of a reduction
		assertThat(this.browser.findElement(By.cssSelector("[data-testid=chart-reduced]")).isDisplayed()).isFalse();

		// select the third point on the canvas itself; an action aims at the centre of
		// the
		// element's visible part, so the whole chart is brought into view first
		script("document.getElementById('scores-chart').scrollIntoView({block: 'center'});");
		Map<?, ?> point = (Map<?, ?>) script("const p = window.trustLedger.scoresChart.getDatasetMeta(0).data[2];"
				+ " const r = p.$context.chart.canvas.getBoundingClientRect();"
				+ " return {x: p.x - r.width / 2, y: p.y - r.height / 2};");
		WebElement canvas = this.browser.findElement(By.id("scores-chart"));
		new Actions(this.browser)
			.moveToElement(canvas, ((Number) point.get("x")).intValue(), ((Number) point.get("y")).intValue())
			.click()
			.perform();
		Map<?, ?> details = (Map<?, ?>) new WebDriverWait(this.browser, WAIT)
			.until((driver) -> script("const shown = document.querySelector('[data-testid=event-details]');"
					+ " return shown && {sequence: shown.dataset.sequence, text: shown.innerText};"));
		assertThat(details.get("sequence")).isEqualTo("2");
		assertThat((String) details.get("text")).contains("Promise kept")
			.contains("by " + this.system.user("ACCOUNT_TEAM").name())
			.contains("Reliability");
		screenshot("engagement");
	}

	@Test
	void recordingAnIncidentShowsTheApisErrorsInlineAndTheNewPointLiveWithoutReload() {
		signIn("ACCOUNT_TEAM");
		open("/engagement.html?id=meridian-insurance");
		int before = markers();
		script("window.notReloaded = true;");

		new Select(this.browser.findElement(By.id("incident-type"))).selectByValue("PROMISE_MADE");
		this.browser.findElement(By.id("incident-party")).sendKeys("Vendor");
		this.browser.findElement(By.id("incident-severity")).sendKeys("9");
		this.browser.findElement(By.cssSelector("[data-testid=incident-form] button[type=submit]")).click();
		new WebDriverWait(this.browser, WAIT)
			.until((driver) -> !text(By.cssSelector("[data-testid=error-severity]")).isBlank());
		assertThat(this.browser.findElement(By.id("incident-severity")).getDomAttribute("aria-invalid"))
			.isEqualTo("true");
		assertThat(text(By.cssSelector("[data-testid=error-dueBy]"))).contains("required");
		screenshot("record-incident-error");
		assertThat(this.system.engagement("meridian-insurance").path("eventCount").asInt()).isEqualTo(before);

		new Select(this.browser.findElement(By.id("incident-type"))).selectByValue("SPONSOR_GAINED");
		this.browser.findElement(By.id("incident-sponsor")).sendKeys("CFO Aino Berg");
		this.browser.findElement(By.cssSelector("[data-testid=incident-form] button[type=submit]")).click();
		new WebDriverWait(this.browser, WAIT).until((driver) -> markers() == before + 1);
		assertThat(script("return window.notReloaded === true;")).isEqualTo(true);
		assertThat(text(By.cssSelector("[data-testid=form-notice]"))).contains("Recorded as event #" + before);
		assertThat(this.system.engagement("meridian-insurance").path("sponsor").asText()).isEqualTo("CFO Aino Berg");
		screenshot("record-incident-recorded");

		// an outcome: its choice and the choice's values come from the command service's
		// description of the incident types, not from the page
		new Select(this.browser.findElement(By.id("incident-type"))).selectByValue("RENEWAL_DECIDED");
		Select decision = new Select(this.browser.findElement(By.id("incident-decision")));
		assertThat(decision.getOptions()).extracting((option) -> option.getDomAttribute("value"))
			.containsExactly("", "RENEWED", "EXPANDED", "CONTRACTED", "NOT_RENEWED");
		assertThat(this.browser.findElement(By.id("incident-sponsor")).isDisplayed()).isFalse();
		decision.selectByValue("EXPANDED");
		this.browser.findElement(By.cssSelector("[data-testid=incident-form] button[type=submit]")).click();
		new WebDriverWait(this.browser, WAIT).until((driver) -> markers() == before + 2);
		assertThat(this.system.engagement("meridian-insurance").path("outcome").path("renewal").asText())
			.isEqualTo("EXPANDED");
	}

	@Test
	void openPromisesAreListedByTheirIdsAndOnlyTheOverdueOnesAreMarkedOverdue() {
		// found reading the dashboard: it took the ids of open promises for promises, and
		// marked every one overdue as soon as one was
		java.time.Instant now = java.time.Instant.now();
		String promise = """
				{"incidentId":"%s","type":"PROMISE_MADE","promiseId":"%s","party":"%s","severity":3,
				 "occurredAt":"%s","dueBy":"%s"}""";
		assertThat(this.system
			.post("/api/engagements/northgate-manufacturing/incidents",
					promise.formatted(UUID.randomUUID(), "late-report", "VENDOR",
							now.minus(java.time.Duration.ofDays(10)), now.minus(java.time.Duration.ofDays(1))))
			.statusCode()).isEqualTo(201);
		assertThat(this.system
			.post("/api/engagements/northgate-manufacturing/incidents",
					promise.formatted(UUID.randomUUID(), "next-review", "CLIENT",
							now.minus(java.time.Duration.ofDays(2)), now.plus(java.time.Duration.ofDays(30))))
			.statusCode()).isEqualTo(201);
		new WebDriverWait(this.browser, WAIT)
			.until((driver) -> this.system.engagement("northgate-manufacturing").path("openPromises").size() == 2);
		signIn("DELIVERY_LEAD");
		open("/engagement.html?id=northgate-manufacturing");
		new WebDriverWait(this.browser, WAIT).until(
				(driver) -> !driver.findElements(By.cssSelector("#promises [data-testid=overdue-promise]")).isEmpty());
		assertThat(this.browser.findElements(By.cssSelector("#promises [data-testid=overdue-promise]"))).singleElement()
			.extracting(WebElement::getText)
			.asString()
			.contains("late-report")
			.contains("Vendor")
			.contains("overdue");
		assertThat(this.browser.findElements(By.cssSelector("#promises [data-testid=open-promise]"))).singleElement()
			.extracting(WebElement::getText)
			.asString()
			.contains("next-review")
			.contains("Client")
			.doesNotContain("overdue");
		assertThat(text(By.id("promises"))).doesNotContain("undefined");
	}

	@Test
	void eventsRecordedElsewhereAppearLiveOnTheOpenPages() {
		signIn("DELIVERY_LEAD");
		open("/engagement.html?id=lakeside-utilities");
		int before = markers();
		script("window.notReloaded = true;");
		new WebDriverWait(this.browser, WAIT)
			.until((driver) -> "open".equals(driver.findElement(By.id("live-state")).getDomAttribute("data-state")));

		String body = """
				{"incidentId":"%s","type":"STOOD_BY_PARTNER","party":"VENDOR","severity":3,"occurredAt":"%s"}"""
			.formatted(UUID.randomUUID(), java.time.Instant.now().minusSeconds(60));
		assertThat(this.system.post("/api/engagements/lakeside-utilities/incidents", body).statusCode()).isEqualTo(201);
		// the toast says so as the event arrives, and hides itself 5 s later: on a slow
		// machine that can be before the chart has its marker, so it is read first
		new WebDriverWait(this.browser, WAIT).until((driver) -> String.valueOf(script(
				"const toast = document.getElementById('toast'); return toast && !toast.hidden && toast.textContent;"))
			.contains("Stood by partner"));
		new WebDriverWait(this.browser, WAIT).until((driver) -> markers() == before + 1);
		assertThat(script("return window.notReloaded === true;")).isEqualTo(true);
	}

	@Test
	void aDeliveryLeadSubscribesAReceiverSeesTheSecretOnceAndSendsATest() throws Exception {
		List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", (exchange) -> {
			received.add(exchange.getRequestHeaders().getFirst("webhook-signature"));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			String target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
			signIn("DELIVERY_LEAD");
			awaitReady();
			this.browser.findElement(By.cssSelector("[data-testid=nav-webhooks]")).click();
			awaitReady();
			this.browser.findElement(By.id("url")).sendKeys(target);
			this.browser.findElement(By.id("deliveryLeads")).sendKeys(this.system.user("DELIVERY_LEAD").name());
			this.browser.findElement(By.cssSelector("#subscribe button[type=submit]")).click();
			String secret = new WebDriverWait(this.browser, WAIT).until((driver) -> {
				List<WebElement> shown = driver.findElements(By.cssSelector("[data-testid=secret-value]"));
				return shown.isEmpty() ? null : shown.get(0).getText();
			});
			assertThat(secret).startsWith("whsec_");
			WebElement row = new WebDriverWait(this.browser, WAIT).until((driver) -> {
				List<WebElement> rows = driver.findElements(By.cssSelector("[data-testid=subscription]"));
				return rows.stream().filter((found) -> found.getText().contains(target)).findFirst().orElse(null);
			});
			assertThat(row.findElement(By.cssSelector("[data-testid=state]")).getText()).isEqualTo("enabled");
			screenshot("webhooks");

			row.findElement(By.xpath(".//button[text()='Send a test']")).click();
			new WebDriverWait(this.browser, WAIT)
				.until((driver) -> driver.findElements(By.cssSelector("[data-testid=delivery]"))
					.stream()
					.anyMatch((delivery) -> delivery.getText().contains("Delivered")
							&& delivery.getText().contains("HTTP 204")));
			assertThat(received).hasSize(1);
			assertThat(received.get(0)).startsWith("v1,");
			// the secret is shown once: reloading the page does not show it again
			open("/webhooks.html");
			assertThat(this.browser.findElements(By.cssSelector("[data-testid=secret-value]"))).isEmpty();
			assertThat(this.browser.getPageSource()).doesNotContain(secret);
		}
		finally {
			receiver.stop(0);
		}
	}

	@Test
	void aRebuildIsStartedAndFollowedToTheEndFromTheAnalystPage() {
		signIn("ANALYST");
		open("/analyst.html");
		this.browser.findElement(By.cssSelector("[data-testid=start-rebuild]")).click();
		WebElement progress = new WebDriverWait(this.browser, Duration.ofSeconds(120)).until((driver) -> {
			List<WebElement> found = driver
				.findElements(By.cssSelector("[data-testid=replay-progress][data-phase=DONE]"));
			return found.isEmpty() ? null : found.get(0);
		});
		WebElement bar = progress.findElement(By.tagName("progress"));
		assertThat(bar.getDomProperty("value")).isEqualTo(bar.getDomProperty("max"));
		screenshot("analyst");
	}

	/**
	 * The analyst's back-test view, on history imported with the times it was recorded (a
	 * small generated portfolio, so that outcomes can be scored a horizon before them):
	 * the figures the pure back-test gives, the ROC curves, the calibration bars and the
	 * misses linked to their timelines. After the others but the reduced timeline's,
	 * because it adds engagements to the portfolio the other tests count.
	 */
	@Test
	@Order(Integer.MAX_VALUE - 1)
	void aBacktestShowsTheFiguresRocCurvesCalibrationAndMissesOfImportedHistory() {
		GeneratedPortfolio portfolio = new GeneratedPortfolio(12, GeneratedPortfolio.today(Clock.systemUTC()));
		HttpResponse<String> imported = this.system.post(this.system.commandService(), "/api/imports",
				"application/x-ndjson", String.join("\n", portfolio.importLines()), this.system.user("ADMIN"));
		assertThat(imported.body()).contains("\"rejected\":0");
		Backtest.Report expected = Backtest.run(new ScoringEngine(ScoringModel.defaultModel()), portfolio.histories(),
				Duration.ofDays(60), Backtest.SEED);
		assertThat(expected.bad()).isPositive();
		assertThat(expected.good()).isPositive();
		await().atMost(Duration.ofSeconds(120))
			.until(() -> SystemUnderTest
				.parse(this.system.query("/api/models/v1/backtest?horizon=60d", this.system.user("ANALYST")).body())
				.path("outcomes")
				.asInt() == expected.outcomes());

		signIn("ANALYST");
		open("/analyst.html");
		new WebDriverWait(this.browser, WAIT)
			.until((driver) -> !new Select(driver.findElement(By.id("backtest-model"))).getOptions().isEmpty());
		new Select(this.browser.findElement(By.id("horizon"))).selectByValue("60d");
		this.browser.findElement(By.cssSelector("[data-testid=run-backtest]")).click();
		WebElement table = new WebDriverWait(this.browser, WAIT)
			.until((driver) -> driver.findElements(By.cssSelector("[data-testid=backtest-table]"))
				.stream()
				.findFirst()
				.orElse(null));
		assertThat(text(By.id("backtest")))
			.contains(expected.outcomes() + " outcomes (" + expected.bad() + " bad, " + expected.good() + " good");
		List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
		assertThat(rows).hasSize(3);
		assertThat(rows.get(2).getText()).contains("Baseline: broken promises in 180 days");
		// trust first, its AUC to three decimals with its interval
		String trustAuc = rows.get(0).findElements(By.tagName("td")).get(1).getText();
		assertThat(trustAuc).matches("\\d\\.\\d{3} \\(\\d\\.\\d{3}–\\d\\.\\d{3}\\)");
		assertThat(Double.parseDouble(trustAuc.substring(0, 5))).isCloseTo(expected.predictors().get("trust").auc(),
				within(0.001));
		// the diagonal and one curve for each predictor; one bar for each band
		assertThat(this.browser.findElements(By.cssSelector("[data-testid=roc] polyline"))).hasSize(4);
		assertThat(this.browser.findElements(By.cssSelector("[data-testid=calibration] rect")))
			.hasSize(expected.calibration().size());
		List<WebElement> links = this.browser
			.findElements(By.cssSelector("#backtest a[href*='engagement.html?id=gen-']"));
		assertThat(links).hasSize(expected.missedBad().size() + expected.missedGood().size());
		script("document.getElementById('backtest').scrollIntoView();");
		screenshot("backtest");
	}

	/**
	 * An engagement longer than the timeline's point budget (1,000 by default): the chart
	 * shows at most that many points, says how many of how many, and links to every
	 * point. Its history is imported last, so that the pages above see only the seeds.
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void aTimelineLongerThanThePointBudgetIsShownReducedAndSaysWhereEveryPointIs() {
		String id = "long-history";
		int events = 1_500;
		HttpResponse<String> imported = this.system.post(this.system.commandService(), "/api/imports",
				"application/x-ndjson",
				ImportedHistory.lines(id, "Long History Ltd", "Team L", "Lead L", Instant.parse("2023-01-02T09:00:00Z"),
						events, Duration.ofHours(12), 0.3, new Random(16), "long history"),
				this.system.user("ADMIN"));
		assertThat(imported.body()).contains("\"rejected\":0");
		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.system.engagement(id),
					(view) -> view != null && view.path("eventCount").asInt() == events);

		signIn("DELIVERY_LEAD");
		open("/engagement.html?id=" + id);
		WebElement note = new WebDriverWait(this.browser, WAIT)
			.until((driver) -> driver.findElements(By.cssSelector("[data-testid=chart-reduced]"))
				.stream()
				.filter(WebElement::isDisplayed)
				.findFirst()
				.orElse(null));
		int shown = markers();
		assertThat(shown).isLessThanOrEqualTo(1_000).isGreaterThan(2);
		assertThat(note.getText()).startsWith("Showing " + shown + " of " + events + " points");
		String everyPoint = note.findElement(By.tagName("a")).getAttribute("href");
		assertThat(everyPoint).contains("/api/engagements/" + id + "/timeline.csv");
		// the link is absolute, to the query service that served the page
		HttpResponse<String> csv = this.system.query(everyPoint, this.system.user("DELIVERY_LEAD"));
		assertThat(csv.statusCode()).isEqualTo(200);
		// a header row, then one row for each event
		assertThat(csv.body().lines().filter((line) -> !line.isBlank()).count()).isEqualTo(events + 1L);
		script("document.getElementById('scores-chart').scrollIntoView({block: 'center'});");
		screenshot("engagement-reduced");
	}

	@Test
	void atPhoneWidthThePortfolioFitsAndTheKeyboardReachesTheEngagements() {
		signIn("DELIVERY_LEAD");
		this.browser.manage().window().setSize(new Dimension(390, 844));
		awaitReady();
		assertThat((Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth;")).isTrue();
		screenshot("portfolio-phone");

		this.browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
		assertThat(this.browser.switchTo().activeElement().getText()).isEqualTo("Skip to the portfolio");
		WebElement active = null;
		for (int presses = 0; presses < 40; presses++) {
			this.browser.switchTo().activeElement().sendKeys(Keys.TAB);
			active = this.browser.switchTo().activeElement();
			if (String.valueOf(active.getDomAttribute("href")).startsWith("/engagement.html")) {
				break;
			}
		}
		assertThat(active.getDomAttribute("href")).startsWith("/engagement.html");
		active.sendKeys(Keys.ENTER);
		new WebDriverWait(this.browser, WAIT).until((driver) -> driver.getCurrentUrl().contains("/engagement.html"));
		screenshot("engagement-phone");
	}

	private void signIn(String role) {
		signIn(role, this.system.user(role).password());
	}

	private void signIn(String role, String password) {
		this.browser.get(url("/login"));
		new WebDriverWait(this.browser, WAIT).until((driver) -> !driver.findElements(By.id("username")).isEmpty());
		this.browser.findElement(By.id("username")).sendKeys(this.system.user(role).name());
		this.browser.findElement(By.id("password")).sendKeys(password);
		this.browser.findElement(By.cssSelector("#login button[type=submit]")).click();
		new WebDriverWait(this.browser, WAIT).until((driver) -> !driver.getCurrentUrl().endsWith("/login"));
	}

	private void open(String path) {
		this.browser.get(url(path));
		awaitReady();
	}

	private void awaitReady() {
		new WebDriverWait(this.browser, WAIT)
			.until((driver) -> "true".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-ready"))
					|| !driver.findElements(By.cssSelector("[data-testid=forbidden]")).isEmpty());
	}

	/** The trust timeline's markers: one point of its chart per event. */
	private int markers() {
		return ((Number) script("return window.trustLedger.scoresChart.data.datasets[0].data.length;")).intValue();
	}

	/**
	 * The portfolio's rows, read in one script call: live updates re-render the table, so
	 * element references taken one by one can go stale between two reads.
	 */
	private List<PortfolioRow> portfolioRows() {
		List<?> rows = (List<?>) script("return Array.from(document.querySelectorAll('[data-testid=engagement-row]'))"
				+ ".map((row) => [row.dataset.engagement, row.querySelector('[data-testid=trust]').innerText,"
				+ " row.querySelector('.band').innerText]);");
		return rows.stream().map((row) -> {
			List<?> cells = (List<?>) row;
			return new PortfolioRow((String) cells.get(0), Double.valueOf(((String) cells.get(1)).trim()),
					((String) cells.get(2)).trim());
		}).toList();
	}

	private Object script(String code) {
		return ((JavascriptExecutor) this.browser).executeScript(code);
	}

	/** An element's text, read again if a re-render replaced the element meanwhile. */
	private String text(By by) {
		return new WebDriverWait(this.browser, WAIT).ignoring(StaleElementReferenceException.class)
			.until((driver) -> driver.findElement(by).getText());
	}

	private String url(String path) {
		return this.system.queryService().baseUri().resolve(path).toString();
	}

	private void screenshot(String name) {
		try {
			Files.write(SCREENSHOTS.resolve(name + ".png"), this.browser.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private record PortfolioRow(String engagementId, double trust, String band) {

	}

}
