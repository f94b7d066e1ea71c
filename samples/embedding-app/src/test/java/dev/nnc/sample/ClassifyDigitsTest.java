package dev.nnc.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.generated.Digits;
import org.junit.jupiter.api.Test;

/** Runs the app on ten MNIST test digits (the label is in each file's name). */
class ClassifyDigitsTest {
    @Test
    void classifiesTheSampleDigits() throws Exception {
        File[] files = new File("src/test/resources/digits").listFiles((d, n) -> n.endsWith(".png"));
        Arrays.sort(files);
        List<String> names = Arrays.stream(files).map(File::getPath).toList();
        List<String> lines = ClassifyDigits.classify(names);
        assertEquals(names.size(), lines.size());
        int right = 0;
        Pattern p = Pattern.compile(".*label(\\d)\\.png: digit (\\d) \\(probability (0\\.\\d{4}|1\\.0000)\\)");
        for (String line : lines) {
            System.out.println(line);
            Matcher m = p.matcher(line);
            assertTrue(m.matches(), line);
            right += m.group(1).equals(m.group(2)) ? 1 : 0;
        }
        assertTrue(right >= 9, right + " of " + lines.size() + " right");
    }

    @Test
    void theGeneratedClassDescribesItself() throws Exception {
        try (Digits model = Digits.load(ClassifyDigits.class.getResourceAsStream("/digits.nnw"))) {
            assertEquals(784, model.spec().inputSize());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[10]));
            assertTrue(e.getMessage().contains("[784]"), e.getMessage());
        }
    }
}
