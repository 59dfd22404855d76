namespace Stamen.Simulation.Engine;

/// <summary>
/// The KV memory of every instance of a cluster, in the policy's unit (blocks when paged, tokens when
/// reserving). Without lending each instance uses only its own; with lending (DistKV-LLM's gManager and
/// its global ledger) an instance whose own memory is full borrows free units of others, each lender
/// within its lending cap, and an instance that is borrowing lends nothing.
/// </summary>
internal sealed class KvPools
{
    private readonly long[] _capacity;
    private readonly long[] _localUsed;
    private readonly long[] _lent;
    private readonly long[] _borrowed;
    private readonly long[] _lendLimit;
    private readonly bool _lending;

    public KvPools(int instances, long capacityUnits, bool lending, double lendingCapFraction)
    {
        _capacity = Enumerable.Repeat(capacityUnits, instances).ToArray();
        _localUsed = new long[instances];
        _lent = new long[instances];
        _borrowed = new long[instances];
        _lendLimit = Enumerable.Repeat(lending ? (long)Math.Floor(capacityUnits * lendingCapFraction) : 0L, instances).ToArray();
        _lending = lending && instances > 1;
    }

    public long Capacity(int i) => _capacity[i];

    /// <summary>Counts releases, so an instance waiting for memory that others hold can tell when to try again.</summary>
    public long Releases { get; private set; }

    /// <summary>Units of instance <paramref name="i"/> neither used by its own requests nor lent.</summary>
    public long FreeLocal(int i) => _capacity[i] - _localUsed[i] - _lent[i];

    /// <summary>Units instance <paramref name="i"/> could have now: its own free ones plus what lenders would lend it.</summary>
    public long Available(int i)
    {
        var total = FreeLocal(i);
        if (!_lending) return total;
        for (var j = 0; j < _capacity.Length; j++)
            if (j != i) total += Lendable(j);
        return total;
    }

    /// <summary>The most units one request on instance <paramref name="i"/> could ever hold: its whole cache plus every lender's cap.</summary>
    public long MostEver(int i)
    {
        var total = _capacity[i];
        if (_lending)
            for (var j = 0; j < _capacity.Length; j++)
                if (j != i) total += _lendLimit[j];
        return total;
    }

    /// <summary>Gives <paramref name="units"/> to a request of instance <paramref name="i"/>: its own free units first, then
    /// the lenders with the most to lend. The caller checked <see cref="Available"/>.</summary>
    public void Take(int i, EngineRequestState s, long units)
    {
        var local = Math.Min(units, FreeLocal(i));
        _localUsed[i] += local;
        s.Units += units;
        var rest = units - local;
        while (rest > 0)
        {
            var lender = -1;
            var most = 0L;
            for (var j = 0; j < _capacity.Length; j++)
            {
                if (j == i || !_lending) continue;
                var can = Lendable(j);
                if (can > most) (lender, most) = (j, can);
            }
            if (lender < 0) throw new InvalidOperationException("KV pools: asked for more units than are available (a scheduler bug)");
            var take = Math.Min(rest, most);
            _lent[lender] += take;
            _borrowed[i] += take;
            s.AddRemote(lender, take);
            rest -= take;
        }
    }

    /// <summary>
    /// Takes <paramref name="units"/> of instance <paramref name="i"/>'s own free units for requests that record them later
    /// (steady decoders settle their blocks when they leave): what <see cref="Take"/> does when the local units suffice.
    /// </summary>
    public void TakeLocal(int i, long units)
    {
        if (units > FreeLocal(i)) throw new InvalidOperationException("KV pools: a bulk take beyond free local units (a scheduler bug)");
        _localUsed[i] += units;
    }

    /// <summary>Returns every unit a request of instance <paramref name="i"/> holds, local and borrowed.</summary>
    public void Release(int i, EngineRequestState s)
    {
        Releases++;
        _localUsed[i] -= s.Units - s.RemoteUnits;
        if (s.Remote is { } remote)
            foreach (var (lender, units) in remote)
            {
                _lent[lender] -= units;
                _borrowed[i] -= units;
            }
        s.ClearUnits();
    }

    /// <summary>Throws when the pools disagree with themselves or with the requests' holdings (tests).</summary>
    public void Check(int i, long ownRequestUnits, long ownRemoteUnits)
    {
        Require(_localUsed[i] == ownRequestUnits - ownRemoteUnits, $"instance {i} local use {_localUsed[i]} but its requests hold {ownRequestUnits - ownRemoteUnits} local units");
        Require(_borrowed[i] == ownRemoteUnits, $"instance {i} borrowed {_borrowed[i]} but its requests hold {ownRemoteUnits} remote units");
        Require(_localUsed[i] + _lent[i] <= _capacity[i], $"instance {i} uses {_localUsed[i]} and lends {_lent[i]} units of {_capacity[i]}");
        Require(_lent[i] <= _lendLimit[i], $"instance {i} lends {_lent[i]} units over its cap {_lendLimit[i]}");
        Require(_lent.Sum() == _borrowed.Sum(), "units lent and borrowed differ");
    }

    private long Lendable(int j) => _borrowed[j] > 0 ? 0 : Math.Max(0, Math.Min(_lendLimit[j] - _lent[j], FreeLocal(j)));

    private static void Require(bool condition, string problem)
    {
        if (!condition) throw new InvalidOperationException("engine invariant broken: " + problem);
    }
}
