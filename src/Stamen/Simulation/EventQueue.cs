using System.Diagnostics.CodeAnalysis;

namespace Stamen.Simulation;

/// <summary>
/// Position of an event in simulated time: time in ms, then a same-time priority (lower first),
/// then the insertion sequence. The sequence makes ties resolve identically on every run, which
/// .NET's <see cref="PriorityQueue{TElement, TPriority}"/> alone does not promise.
/// </summary>
public readonly record struct EventKey(double TimeMs, int Priority, long Sequence) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var byTime = TimeMs.CompareTo(other.TimeMs);
        if (byTime != 0) return byTime;
        var byPriority = Priority.CompareTo(other.Priority);
        return byPriority != 0 ? byPriority : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(EventKey left, EventKey right) => left.CompareTo(right) < 0;
    public static bool operator >(EventKey left, EventKey right) => left.CompareTo(right) > 0;
    public static bool operator <=(EventKey left, EventKey right) => left.CompareTo(right) <= 0;
    public static bool operator >=(EventKey left, EventKey right) => left.CompareTo(right) >= 0;
}

/// <summary>An event to schedule: what happens, when, and its same-time priority.</summary>
public readonly record struct ScheduledEvent<T>(double TimeMs, int Priority, T Event);

/// <summary>
/// Min-queue of events ordered by (time, same-time priority, insertion sequence). The only
/// mutable part of a simulation kernel besides the model state: handlers return new events and
/// the kernel enqueues them here.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue, and the simulation literature calls it one.")]
public sealed class EventQueue<T>
{
    private readonly PriorityQueue<T, EventKey> _queue = new();
    private long _nextSequence;

    public int Count => _queue.Count;

    public void Enqueue(in ScheduledEvent<T> scheduled) => Enqueue(scheduled.Event, scheduled.TimeMs, scheduled.Priority);

    public void Enqueue(T item, double timeMs, int priority)
    {
        if (double.IsNaN(timeMs)) throw new ArgumentOutOfRangeException(nameof(timeMs), "Event time is NaN.");
        _queue.Enqueue(item, new EventKey(timeMs, priority, _nextSequence++));
    }

    /// <summary>Removes the earliest event; false when the queue is empty.</summary>
    public bool TryDequeue(out T item, out EventKey key)
    {
        if (_queue.TryDequeue(out var dequeued, out key))
        {
            item = dequeued;
            return true;
        }
        item = default!;
        return false;
    }

    /// <summary>Events still pending, in no particular order (for invariant checks).</summary>
    public IEnumerable<T> Pending()
    {
        foreach (var (element, _) in _queue.UnorderedItems)
            yield return element;
    }
}
