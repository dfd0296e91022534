// An idle JVM (tests/integration/test_waits_real_jvm.sh): prints "ready" and sleeps; its own
// threads (GC, compiler, VM, finalizer, reference handler, cleaner) wait on HotSpot's
// monitors, which are pthread condition variables on CLOCK_MONOTONIC.
public class JvmIdle {
    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
