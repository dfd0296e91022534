// The JVM target of the benchmark: N threads sleeping in a known call chain
// (levelA -> levelB -> levelC -> Thread.sleep), then "ready" on stdout.
// Compiled by bench/run.sh into a temporary folder: javac BenchJava.java; java BenchJava 500
import java.util.concurrent.CountDownLatch;

public class BenchJava {
    static CountDownLatch started;

    static void levelC() throws InterruptedException {
        started.countDown();
        while (true) {
            Thread.sleep(1_000_000L);
        }
    }

    static void levelB() throws InterruptedException {
        levelC();
    }

    static void levelA() throws InterruptedException {
        levelB();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    levelA();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-java-" + i);
            t.setDaemon(true);
            t.start();
        }
        started.await();
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
