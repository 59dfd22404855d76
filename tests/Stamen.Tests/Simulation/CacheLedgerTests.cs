using Stamen.Placement;
using Stamen.Plans;
using Stamen.Simulation.Swarm;

namespace Stamen.Tests.Simulation;

public class CacheLedgerTests
{
    [Fact]
    public void CanHostNow_FutureReservationOverlapsSession_Refuses()
    {
        var ledger = new CacheLedger(new CacheBudget(100, PerBlock: false), new BlockSpan(0, 4));
        ledger.Commit(new CacheCommitment(50, 80, 0, 4, 25)); // full pool from 50 ms
        Assert.True(ledger.UsedBytesAt(10) == 0);
        Assert.False(ledger.CanHostNow(0, 4, 25, 10));
        Assert.True(ledger.CanHostNow(0, 4, 25, 80));
    }

    [Fact]
    public void EarliestStartMs_SessionLargerThanPool_IsInfinity()
    {
        var shared = new CacheLedger(new CacheBudget(100, PerBlock: false), new BlockSpan(0, 4));
        var perBlock = new CacheLedger(new CacheBudget(10, PerBlock: true), new BlockSpan(0, 4));
        Assert.Equal(double.PositiveInfinity, shared.EarliestStartMs(0, 4, 26, 0));
        Assert.Equal(double.PositiveInfinity, perBlock.EarliestStartMs(1, 2, 11, 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EarliestStartMs_RandomLedgers_AgreesWithBruteForceOverCandidates(bool perBlockPool)
    {
        var rng = new Random(perBlockPool ? 3 : 4);
        for (var trial = 0; trial < 300; trial++)
        {
            var span = new BlockSpan(2, 6);
            var ledger = new CacheLedger(new CacheBudget(perBlockPool ? 30 : 120, perBlockPool), span);
            var commitments = new List<CacheCommitment>();
            for (var k = rng.Next(0, 8); k > 0; k--)
            {
                var start = rng.Next(0, 50);
                var a = rng.Next(span.Start, span.End);
                var c = new CacheCommitment(start, start + rng.Next(1, 60), a, rng.Next(a + 1, span.End + 1), rng.Next(1, 11));
                commitments.Add(c);
                ledger.Commit(c);
            }
            var now = rng.Next(0, 30);
            var from = rng.Next(span.Start, span.End);
            var to = rng.Next(from + 1, span.End + 1);
            var bytes = rng.Next(1, 12);

            var actual = ledger.EarliestStartMs(from, to, bytes, now);

            var expected = BruteForceEarliestMs(commitments, from, to, bytes, now, perBlockPool);
            Assert.Equal(expected, actual);
            Assert.Equal(expected == now, ledger.CanHostNow(from, to, bytes, now));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FreeBytesNow_RandomLedgers_EqualsPoolLessCountedUseAndAgreesWithCanHostNow(bool perBlockPool)
    {
        var rng = new Random(perBlockPool ? 5 : 6);
        var pool = perBlockPool ? 30.0 : 120.0;
        for (var trial = 0; trial < 300; trial++)
        {
            var span = new BlockSpan(2, 6);
            var ledger = new CacheLedger(new CacheBudget(pool, perBlockPool), span);
            var commitments = new List<CacheCommitment>();
            for (var k = rng.Next(0, 8); k > 0; k--)
            {
                var start = rng.Next(0, 50);
                var a = rng.Next(span.Start, span.End);
                var c = new CacheCommitment(start, start + rng.Next(1, 60), a, rng.Next(a + 1, span.End + 1), rng.Next(1, 6));
                commitments.Add(c);
                ledger.Commit(c);
            }
            var now = rng.Next(0, 30);
            var from = rng.Next(span.Start, span.End);
            var to = rng.Next(from + 1, span.End + 1);

            var free = ledger.FreeBytesNow(from, to, now);

            // Every commitment ending after now counts, reservations that start later included.
            var counted = commitments.Where(c => c.EndMs > now).ToList();
            var used = perBlockPool
                ? Enumerable.Range(from, to - from).Max(b => counted.Where(c => c.StartBlock <= b && b < c.EndBlock).Sum(c => c.BytesPerBlock))
                : counted.Sum(c => c.Bytes);
            Assert.Equal(Math.Max(0, pool * (1 + CacheLedger.Tolerance) - used), free, 1e-9);
            // A session a little smaller than the free room fits now, a little larger does not.
            var blocks = perBlockPool ? 1 : to - from;
            if (free > 0.01) Assert.True(ledger.CanHostNow(from, to, (free - 0.01) / blocks, now));
            Assert.False(ledger.CanHostNow(from, to, (free + 0.01) / blocks, now));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EarliestStartMs_CommitsBetweenQueriesAsTimeAdvances_AgreesWithBruteForce(bool perBlockPool)
    {
        // A ledger keeps the tails it searches between queries: commits must refresh them and pruning must keep them aligned.
        var rng = new Random(perBlockPool ? 11 : 12);
        var answeredLater = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var span = new BlockSpan(2, 6);
            var ledger = new CacheLedger(new CacheBudget(perBlockPool ? 30 : 120, perBlockPool), span);
            var commitments = new List<CacheCommitment>();
            var now = 0.0;
            for (var step = 0; step < 40; step++)
            {
                now += rng.Next(0, 4);
                for (var q = rng.Next(1, 4); q > 0; q--)
                {
                    var from = rng.Next(span.Start, span.End);
                    var to = rng.Next(from + 1, span.End + 1);
                    var bytes = rng.Next(1, 12);

                    var actual = ledger.EarliestStartMs(from, to, bytes, now);

                    Assert.Equal(BruteForceEarliestMs(commitments, from, to, bytes, now, perBlockPool), actual);
                    if (actual > now && double.IsFinite(actual)) answeredLater++;
                }
                if (rng.Next(3) > 0)
                {
                    var start = now + rng.Next(0, 20);
                    var a = rng.Next(span.Start, span.End);
                    var c = new CacheCommitment(start, start + rng.Next(1, 30), a, rng.Next(a + 1, span.End + 1), rng.Next(1, 8));
                    commitments.Add(c);
                    ledger.Commit(c);
                }
            }
        }
        Assert.True(answeredLater > 100, $"only {answeredLater} queries had to wait: the ledgers were never full");
    }

    /// <summary>The first candidate (now, then each later end) at which the session fits counting every commitment ending after it.</summary>
    private static double BruteForceEarliestMs(List<CacheCommitment> commitments, int from, int to, double bytes, double now, bool perBlockPool)
    {
        var candidates = commitments.Select(c => c.EndMs).Where(e => e > now).Append(now).Order();
        return candidates.Cast<double?>().FirstOrDefault(t => Fits(commitments.Where(c => c.EndMs > t).ToList(), from, to, bytes, perBlockPool)) ?? double.PositiveInfinity;
    }

    private static bool Fits(List<CacheCommitment> counted, int from, int to, double bytes, bool perBlockPool)
    {
        if (!perBlockPool) return counted.Sum(c => c.Bytes) + bytes * (to - from) <= 120;
        for (var b = from; b < to; b++)
            if (counted.Where(c => c.StartBlock <= b && b < c.EndBlock).Sum(c => c.BytesPerBlock) + bytes > 30) return false;
        return true;
    }

    [Fact]
    public void Commit_BlocksOutsideSpan_Throws()
    {
        var ledger = new CacheLedger(new CacheBudget(100, false), new BlockSpan(2, 3));
        Assert.Throws<ArgumentException>(() => ledger.Commit(new CacheCommitment(0, 1, 1, 3, 1)));
    }
}
