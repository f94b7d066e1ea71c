package nnc.spark.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --spark MASTER} is checked by form before a run folder or a Spark context is made. */
class MasterUrlTest {
    @Test
    void sparksOwnFormsAreAccepted() {
        for (String m : new String[] {"local", "local[4]", "local[*]", "local[2,3]", "local[*,2]", "local-cluster[2,1,1024]",
            "spark://host:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://host:6443"}) {
            assertTrue(SparkTrain.isMasterUrl(m), m);
        }
    }

    @Test
    void otherTextIsRefused() {
        for (String m : new String[] {"local[x]", "local[]", "local[4", "locale", "", "spark:/host", "local-cluster[2,1]",
            "yarn-client ", "4"}) {
            assertFalse(SparkTrain.isMasterUrl(m), m);
        }
    }
}
