using Stamen.Simulation;

namespace Stamen.Tests.Simulation;

public class EventQueueTests
{
    [Fact]
    public void TryDequeue_MixedTimesPrioritiesAndTies_OrdersByTimeThenPriorityThenInsertion()
    {
        var queue = new EventQueue<string>();
        queue.Enqueue("late", 20, 0);
        queue.Enqueue("attempt-a", 10, 2);
        queue.Enqueue("end", 10, 0);
        queue.Enqueue("attempt-b", 10, 2);
        queue.Enqueue("start", 10, 1);
        queue.Enqueue("attempt-c", 10, 2);
        queue.Enqueue("early", 5, 9);

        var order = new List<string>();
        while (queue.TryDequeue(out var item, out _)) order.Add(item);

        Assert.Equal(["early", "end", "start", "attempt-a", "attempt-b", "attempt-c", "late"], order);
    }

    [Fact]
    public void TryDequeue_ManyEqualKeys_KeepsInsertionOrder()
    {
        // PriorityQueue alone is not stable; the sequence number must make it so.
        var queue = new EventQueue<int>();
        for (var i = 0; i < 1000; i++) queue.Enqueue(i, 1.0, 0);
        var order = new List<int>();
        while (queue.TryDequeue(out var item, out var key))
        {
            Assert.Equal(1.0, key.TimeMs);
            order.Add(item);
        }
        Assert.Equal(Enumerable.Range(0, 1000), order);
    }
}
