package dev.trustledger.infra;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceProcessTest {

	@Test
	void aServiceDoesNotInheritTheJvmOptionsOfTheProcessThatStartsIt() {
		Map<String, String> environment = new HashMap<>(
				Map.of("JDK_JAVA_OPTIONS", "-XX:+UseG1GC", "PATH", "/usr/bin", "LANG", "C.UTF-8"));

		ServiceProcess.childEnvironment(environment, Map.of("PGPASSWORD", "secret", "LANG", "en_GB.UTF-8"));

		assertThat(environment).doesNotContainKey("JDK_JAVA_OPTIONS")
			.containsEntry("PATH", "/usr/bin")
			.containsEntry("PGPASSWORD", "secret")
			.containsEntry("LANG", "en_GB.UTF-8");
	}

	@Test
	void aServiceRunsTheSerialCollectorUnlessTheOptionsNameAnother() {
		assertThat(ServiceProcess.jvmOptions("")).contains("-XX:+UseSerialGC");
		assertThat(ServiceProcess.jvmOptions(" -Xlog:gc:file=gc-%p.log ")).contains("-XX:+UseSerialGC")
			.contains("-Xlog:gc:file=gc-%p.log");
		assertThat(ServiceProcess.jvmOptions("-XX:+UseZGC  -Xlog:gc")).doesNotContain("-XX:+UseSerialGC")
			.containsSubsequence("-XX:+UseZGC", "-Xlog:gc");
		// flags that end in "GC" without choosing a collector, and a collector turned off
		assertThat(ServiceProcess.jvmOptions("-XX:+UseAdaptiveSizePolicyWithSystemGC -XX:-UseG1GC"))
			.contains("-XX:+UseSerialGC");
	}

}
