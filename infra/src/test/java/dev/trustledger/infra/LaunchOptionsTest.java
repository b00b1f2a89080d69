package dev.trustledger.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LaunchOptionsTest {

	@Test
	void defaultsListenOnTheDocumentedPortsAndKeepDataUnderTheProject() {
		LaunchOptions options = LaunchOptions.parse(new String[] { "up", "--home=project" });

		assertThat(options.kafkaPort()).isEqualTo(9092);
		assertThat(options.mongoPort()).isEqualTo(27017);
		assertThat(options.postgresPort()).isEqualTo(5432);
		assertThat(options.commandPort()).isEqualTo(8081);
		assertThat(options.queryPort()).isEqualTo(8082);
		assertThat(options.dataDir()).isEqualTo(options.home().resolve(".trustledger"));
		assertThat(options.demo()).isTrue();
		assertThat(options.portfolioSize()).isEqualTo(300);
	}

	@Test
	void theSmallDemoLeavesTheGeneratedPortfolioOutAndItsSizeCanBeChosen() {
		assertThat(LaunchOptions.parse(new String[] { "up", "--small-demo" }).portfolioSize()).isZero();
		assertThat(LaunchOptions.parse(new String[] { "up", "--portfolio-size=40" }).portfolioSize()).isEqualTo(40);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchOptions.parse(new String[] { "up", "--portfolio-size=-1" }))
			.withMessageContaining("--portfolio-size");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchOptions.parse(new String[] { "up", "--portfolio-size=many" }))
			.withMessageContaining("--portfolio-size");
	}

	@Test
	void optionsMoveThePortsAndTheDataDirectory() {
		LaunchOptions options = LaunchOptions.parse(new String[] { "infra", "--kafka-port=19092", "--mongo-port=27018",
				"--postgres-port=15432", "--data-dir=elsewhere", "--no-demo" });

		assertThat(options.command()).isEqualTo("infra");
		assertThat(options.kafkaPort()).isEqualTo(19092);
		assertThat(options.mongoPort()).isEqualTo(27018);
		assertThat(options.postgresPort()).isEqualTo(15432);
		assertThat(options.dataDir().getFileName()).hasToString("elsewhere");
		assertThat(options.demo()).isFalse();
	}

	@Test
	void aTypoOrABadPortIsRefusedRatherThanIgnored() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchOptions.parse(new String[] { "up", "--kafka-prot=1" }))
			.withMessageContaining("--kafka-prot");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchOptions.parse(new String[] { "up", "--mongo-port=99999" }))
			.withMessageContaining("--mongo-port");
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse(new String[] { "down" }))
			.withMessageContaining("up or infra");
	}

}
