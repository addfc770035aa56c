package io.ferrymq.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UriTextTest {

    @Test
    void keepsUnreservedCharactersAndEncodesTheRest() {
        assertThat(UriText.userInfo("guest")).isEqualTo("guest");
        assertThat(UriText.userInfo("a-b.c_d~9")).isEqualTo("a-b.c_d~9");
        assertThat(UriText.userInfo("p@ss:w/rd %")).isEqualTo("p%40ss%3Aw%2Frd%20%25");
        assertThat(UriText.userInfo("é")).isEqualTo("%C3%A9");
    }
}
