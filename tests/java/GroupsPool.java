// A Java pool for threadlens' stack-group tests: "pool-worker-1".."pool-worker-N" all blocked
// entering one monitor that "pool-holder" holds while it sleeps, and "pool-sleeper-1".."-M" all
// asleep in one method; then "ready". Usage: java GroupsPool [N [M]] (default 20 and 10).
public class GroupsPool {
    static final Object gate = new Object();
    static final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);

    static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void hold() {
        synchronized (gate) {
            held.countDown();
            sleepForever();
        }
    }

    static void enter() {
        synchronized (gate) {
            System.out.println("unreachable");
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
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int sleepers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Thread holder = start("pool-holder", GroupsPool::hold);
        held.await();
        Thread[] all = new Thread[workers + sleepers];
        for (int i = 0; i < workers; i++)
            all[i] = start("pool-worker-" + (i + 1), GroupsPool::enter);
        for (int i = 0; i < sleepers; i++)
            all[workers + i] = start("pool-sleeper-" + (i + 1), GroupsPool::sleepForever);
        awaitState(holder, Thread.State.TIMED_WAITING);
        for (int i = 0; i < workers; i++)
            awaitState(all[i], Thread.State.BLOCKED);
        for (int i = 0; i < sleepers; i++)
            awaitState(all[workers + i], Thread.State.TIMED_WAITING);
        System.out.println("ready");
        System.out.flush();
        sleepForever();
    }
}
