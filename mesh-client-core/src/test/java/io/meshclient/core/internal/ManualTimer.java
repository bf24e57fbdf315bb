package io.meshclient.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timer and a ticker that move only when a test says so: {@link #advance} moves the time and runs,
 * on the test's thread, the tasks that fall due, in order. Only one-shot {@code schedule} is
 * supported, which is all the call engine uses.
 */
final class ManualTimer extends AbstractExecutorService implements ScheduledExecutorService {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;
  private boolean shutdown;

  /** The ticker that reads this timer's time. */
  Ticker ticker() {
    return now::get;
  }

  long now() {
    return now.get();
  }

  /** The delays of every task scheduled so far, cancelled or not, in nanoseconds. */
  synchronized List<Long> scheduledDelays() {
    return tasks.stream().map(t -> t.delay).toList();
  }

  /** Tasks scheduled, not yet run and not cancelled. */
  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.ran && !t.cancelled).count();
  }

  /** Moves the time forward by {@code nanos}, running each task that falls due at its own time. */
  void advance(long nanos) {
    long until = now.get() + nanos;
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> !t.ran && !t.cancelled && t.due <= until)
            .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
        if (next == null) {
          break;
        }
        next.ran = true;
        now.set(Math.max(now.get(), next.due));
      }
      next.task.run();
    }
    now.set(until);
  }

  /** Moves the time forward without running anything, as a timer thread that falls behind does. */
  void skip(long nanos) {
    now.addAndGet(nanos);
  }

  void advanceMillis(long millis) {
    advance(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task t = new Task(command, unit.toNanos(delay), now.get() + unit.toNanos(delay), sequence++);
    tasks.add(t);
    return t;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable task;
    final long delay;
    final long due;
    final long order;
    boolean ran;
    boolean cancelled;

    Task(Runnable task, long delay, long due, long order) {
      this.task = task;
      this.delay = delay;
      this.due = due;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - now.get(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualTimer.this) {
        if (ran || cancelled) {
          return false;
        }
        cancelled = true;
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (ManualTimer.this) {
        return cancelled;
      }
    }

    @Override
    public boolean isDone() {
      synchronized (ManualTimer.this) {
        return ran || cancelled;
      }
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
