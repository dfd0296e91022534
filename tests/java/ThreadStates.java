// A Java target for threadlens' JVM tests: named threads parked in known states, then
// "ready" on stdout, then it waits until killed. Usage: java ThreadStates [EXTRA_THREADS]
// EXTRA_THREADS more sleeping threads ("tl-extra-N") make a large JVM for the benchmark.
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

public class ThreadStates {
    static final Object waitedOn = new Object();
    static final Object contended = new Object();
    static final Object lockA = new Object();
    static final Object lockB = new Object();
    static final ReentrantLock jucLock = new ReentrantLock();
    static final CountDownLatch held = new CountDownLatch(2);   // both holders hold their lock
    static final CountDownLatch deadlockStep = new CountDownLatch(2);

    static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void waitForever() {
        synchronized (waitedOn) {
            while (true) {
                try {
                    waitedOn.wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static void holdMonitor() {
        synchronized (contended) {
            held.countDown();
            sleepForever();
        }
    }

    static void enterContended() {
        synchronized (contended) {
            System.out.println("unreachable");
        }
    }

    static void holdJucLock() {
        jucLock.lock();
        held.countDown();
        sleepForever();
    }

    static void lockJuc() {
        jucLock.lock();
    }

    static void lockBoth(Object first, Object second) {
        synchronized (first) {
            deadlockStep.countDown();
            try {
                deadlockStep.await();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                System.out.println("unreachable");
            }
        }
    }

    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void awaitState(Thread t, Thread.State s) throws InterruptedException {
        while (t.getState() != s)
            Thread.sleep(10);
    }

    public static void main(String[] args) throws Exception {
        int extra = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Thread sleeper = start("tl-sleeper-with-a-long-java-name", ThreadStates::sleepForever);
        Thread waiter = start("tl-waiter", ThreadStates::waitForever);
        Thread holder = start("tl-monitor-holder", ThreadStates::holdMonitor);
        Thread jucHolder = start("tl-juc-holder", ThreadStates::holdJucLock);
        held.await();
        Thread blocked = start("tl-blocked", ThreadStates::enterContended);
        Thread parked = start("tl-parked", ThreadStates::lockJuc);
        Thread a = start("tl-deadlock-a", () -> lockBoth(lockA, lockB));
        Thread b = start("tl-deadlock-b", () -> lockBoth(lockB, lockA));
        for (int i = 0; i < extra; i++)
            start("tl-extra-" + i, ThreadStates::sleepForever);
        awaitState(sleeper, Thread.State.TIMED_WAITING);
        awaitState(waiter, Thread.State.WAITING);
        awaitState(holder, Thread.State.TIMED_WAITING);
        awaitState(jucHolder, Thread.State.TIMED_WAITING);
        awaitState(blocked, Thread.State.BLOCKED);
        awaitState(parked, Thread.State.WAITING);
        awaitState(a, Thread.State.BLOCKED);
        awaitState(b, Thread.State.BLOCKED);
        System.out.println("ready");
        System.out.flush();
        sleepForever();
    }
}
