package dev.trustledger.scoring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scoring engine is a pure library: no Spring, MongoDB, Kafka or web types, no wall
 * clock.
 */
class ScoringArchitectureTest {

	private final JavaClasses engine = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.trustledger.scoring");

	@Test
	void theRuleSeesTheEngine() {
		assertThat(this.engine.contain(ScoringEngine.class)).isTrue();
		assertThat(this.engine.size()).isGreaterThan(5);
	}

	@Test
	void noInfrastructure() {
		ArchRule rule = noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.mongodb..", "org.bson..", "org.apache.kafka..",
					"io.cloudevents..", "jakarta.servlet..", "org.axonframework.eventsourcing..",
					"org.axonframework.config..");
		rule.check(this.engine);
	}

	@Test
	void noWallClockAndNoRandomness() {
		ArchRule rule = noClasses().should()
			.callMethod(java.time.Instant.class, "now")
			.orShould()
			.callMethod(java.lang.System.class, "currentTimeMillis")
			.orShould()
			.callMethod(java.util.UUID.class, "randomUUID")
			.orShould()
			.callMethod(java.lang.Math.class, "random")
			.orShould()
			.dependOnClassesThat()
			.areAssignableTo(java.util.Random.class);
		rule.check(this.engine);
	}

}
