/* threadlens demo --java [DUMP OPTIONS]: the Java lesson. Writes a small bundled Java program
 * (named threads in the classic states) to a temp dir, compiles it with the JDK's javac, starts
 * it (it dies with us: PR_SET_PDEATHSIG), dumps it with both views, and cleans up. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define JAVA_READY_TIMEOUT_MS 30000   /* JVM start-up on a slow machine */
#define JAVA_DIR_MAX_ENTRIES 64       /* files javac may leave in our temp dir */
#define JAVA_STOP_POLLS 150           /* x 20 ms: how long the JVM gets to exit on SIGTERM */

static const char classroom_java[] =
    "// The threadlens Java demo: every thread is named after what it does.\n"
    "import java.util.concurrent.ArrayBlockingQueue;\n"
    "import java.util.concurrent.BlockingQueue;\n"
    "\n"
    "public class Classroom {\n"
    "    static final Object blackboard = new Object();\n"
    "    static final Object bell = new Object();\n"
    "    static final BlockingQueue<String> homework = new ArrayBlockingQueue<>(4);\n"
    "\n"
    "    static void nap() {\n"
    "        try { Thread.sleep(1_000_000L); } catch (InterruptedException e) { }\n"
    "    }\n"
    "    static void writeOnBoard() { synchronized (blackboard) { nap(); } }\n"
    "    static void waitForBell() {\n"
    "        synchronized (bell) { try { bell.wait(); } catch (InterruptedException e) { } }\n"
    "    }\n"
    "    static void gradeHomework() {\n"
    "        try { homework.take(); } catch (InterruptedException e) { }\n"
    "    }\n"
    "    static long countPrimes(long limit) {\n"
    "        long n = 0;\n"
    "        for (long i = 2; i < limit; i++) {\n"
    "            boolean prime = true;\n"
    "            for (long d = 2; d * d <= i && prime; d++) prime = i % d != 0;\n"
    "            if (prime) n++;\n"
    "        }\n"
    "        return n;\n"
    "    }\n"
    "    static Thread start(String name, Runnable r) {\n"
    "        Thread t = new Thread(r, name);\n"
    "        t.setDaemon(true);\n"
    "        t.start();\n"
    "        return t;\n"
    "    }\n"
    "    static void settle(Thread t, Thread.State s) throws InterruptedException {\n"
    "        while (t.getState() != s) Thread.sleep(10);\n"
    "    }\n"
    "    public static void main(String[] args) throws Exception {\n"
    "        Thread teacher = start(\"teacher-writing-on-the-blackboard\", Classroom::writeOnBoard);\n"
    "        settle(teacher, Thread.State.TIMED_WAITING);\n"
    "        settle(start(\"pupil-waiting-for-the-blackboard\", Classroom::writeOnBoard), Thread.State.BLOCKED);\n"
    "        settle(start(\"pupil-waiting-for-the-bell\", Classroom::waitForBell), Thread.State.WAITING);\n"
    "        settle(start(\"grader-waiting-for-homework\", Classroom::gradeHomework), Thread.State.WAITING);\n"
    "        start(\"pupil-counting-primes\", () -> { while (true) countPrimes(2_000_000L); });\n"
    "        settle(start(\"pupil-napping\", Classroom::nap), Thread.State.TIMED_WAITING);\n"
    "        System.out.println(\"ready\");\n"
    "        System.out.flush();\n"
    "        nap();\n"
    "    }\n"
    "}\n";

static bool write_source(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/Classroom.java", dir);
    FILE *f = fopen(path, "wx");
    if (!f)
        return false;
    bool ok = fputs(classroom_java, f) >= 0;
    return fclose(f) == 0 && ok;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    for (int i = 0; d && i < JAVA_DIR_MAX_ENTRIES && (e = readdir(d)); i++) {
        if (e->d_name[0] == '.')
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Runs javac; 0 ok, 127 no javac, else its exit status. */
static int run_javac(const char *dir)
{
    char src[4200];
    snprintf(src, sizeof src, "%s/Classroom.java", dir);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("javac", "javac", "-d", dir, src, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static bool wait_ready(int fd)
{
    char buf[64];
    size_t got = 0;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    while (got < sizeof buf - 1 && poll(&pfd, 1, JAVA_READY_TIMEOUT_MS) == 1) {
        ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
        if (r <= 0)
            return false;
        got += (size_t)r;
        buf[got] = '\0';
        if (strstr(buf, "ready\n"))
            return true;
    }
    return false;
}

/* Starts `java -cp dir Classroom`; returns its PID once ready, -1 otherwise. */
static pid_t start_java(const char *dir)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("java", "java", "-cp", dir, "Classroom", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    bool ready = pid > 0 && wait_ready(fds[0]);
    close(fds[0]);
    if (pid > 0 && !ready) {
        cli_kill_child(pid);
        return -1;
    }
    return pid;
}

/* SIGTERM first: an orderly JVM exit removes its attach socket and perf data file from /tmp
 * (SIGKILL would leave them behind); SIGKILL when it does not go in time. */
static void stop_java(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < JAVA_STOP_POLLS; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    cli_kill_child(pid);
}

/* argv[0] is "--java"; the rest are dump options. */
int cmd_demo_java(int argc, char **argv)
{
    char dir[] = "/tmp/threadlens-java-XXXXXX";
    if (!mkdtemp(dir))
        return cli_fail("demo", EXIT_FAILED, "cannot create a temp dir for the Java demo: %s", strerror(errno));
    int rc;
    if (!write_source(dir)) {
        rc = cli_fail("demo", EXIT_FAILED, "cannot write the Java demo's source into %s", dir);
    } else if ((rc = run_javac(dir)) != 0) {
        rc = rc == 127 ? cli_fail("demo", EXIT_FAILED, "no JDK found (javac is not on PATH); install one, e.g. "
                                  "apt-get install openjdk-17-jdk-headless, or run the native demo without --java")
                       : cli_fail("demo", EXIT_FAILED, "javac could not compile the Java demo (exit %d)", rc);
    } else {
        pid_t pid = start_java(dir);
        remove_dir(dir);   /* its classes are loaded: nothing is left behind if we are killed */
        if (pid < 0) {
            rc = cli_fail("demo", EXIT_FAILED, "the Java demo did not start within %d ms (is java on PATH?)",
                          JAVA_READY_TIMEOUT_MS);
        } else {
            rc = cli_run_on_pid(cmd_dump, "dump", argc, argv, pid);
            stop_java(pid);
        }
    }
    remove_dir(dir);
    return rc;
}
