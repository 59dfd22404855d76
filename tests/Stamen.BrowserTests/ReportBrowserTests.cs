using System.Text.Json;
using Microsoft.Playwright;
using Stamen.Reporting.Html;
using Stamen.Tests.Reporting;
using Xunit.Abstractions;

namespace Stamen.BrowserTests;

/// <summary>
/// Opens a report in headless Chromium from disk with the network off, and checks what a reader would see: every chart
/// drawn with a size and marks, and no console errors. Uses Debian's chromium, never a browser Playwright downloads.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>What the page reports about one figure: its SVG's drawn size and how many of its marks have a size.</summary>
    private sealed record Figure(string Caption, bool HasSvg, double Width, double Height, int Marks);

    /// <summary>Every figure of the page, measured by the browser after layout.</summary>
    private const string MeasureFigures = """
        () => JSON.stringify([...document.querySelectorAll('figure.chart')].map(f => {
          const svg = f.querySelector('svg');
          const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
          const marks = svg ? [...svg.querySelectorAll('.mark')].filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 || r.height > 0; }).length : 0;
          return { caption: f.querySelector('figcaption')?.textContent ?? '', hasSvg: !!svg, width: box.width, height: box.height, marks };
        }))
        """;

    /// <summary>A page opened from disk, with the network requests it tried and the errors it logged.</summary>
    private sealed class OfflinePage : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private OfflinePage(IPlaywright playwright, IBrowser browser, IPage page)
        {
            _playwright = playwright;
            _browser = browser;
            Page = page;
        }

        public IPage Page { get; }
        public List<string> Requests { get; } = [];
        public List<string> Errors { get; } = [];

        /// <summary>Opens <paramref name="html"/> in an offline context that aborts (and records) every request that is not a local file.</summary>
        public static async Task<OfflinePage> Open(string html)
        {
            Assert.True(File.Exists(Chromium),
                $"the browser test needs Debian's Chromium at {Chromium}: install it with `apt-get install chromium` (.ci/run does this)");
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs, Timeout = 120_000 });
            var context = await browser.NewContextAsync(new() { Offline = true, ViewportSize = new() { Width = 1200, Height = 900 } });
            var opened = new OfflinePage(playwright, browser, await context.NewPageAsync());
            await context.RouteAsync("**/*", async route =>
            {
                if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                {
                    await route.ContinueAsync();
                    return;
                }
                lock (opened.Requests) opened.Requests.Add(route.Request.Url);
                await route.AbortAsync();
            });
            opened.Page.Console += (_, message) =>
            {
                if (message.Type == "error") lock (opened.Errors) opened.Errors.Add(message.Text);
            };
            opened.Page.PageError += (_, error) =>
            {
                lock (opened.Errors) opened.Errors.Add(error);
            };
            await opened.Page.GotoAsync(new Uri(html).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            return opened;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "stamen-browser-test");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public async Task Report_EveryChartKind_DrawsEveryChartOfflineWithoutConsoleErrors()
    {
        var folder = TempFolder();
        var report = ReportFixtures.WithEveryChart();
        var html = Path.Combine(folder, "every-chart.html");
        await File.WriteAllTextAsync(html, HtmlReport.Render(report));

        await CheckInBrowser(html, report.Sections.Sum(s => s.Charts.Count));
    }

    /// <summary>The built-in default scenarios' reports, as the README's commands write them (validate on the tiny model to stay quick).</summary>
    public static TheoryData<string, string[]> DefaultCommands => new()
    {
        { "swarm-compare", ["compare", "--runs", "2", "-q"] },
        { "swarm-pareto", ["pareto"] },
        { "engine-compare", ["engine", "compare", "-q"] },
        { "adapters-verify", ["adapters", "verify", "-q"] },
        { "split-simulate", ["split", "simulate", "-q"] },
        { "validate", ["validate", "--model", "tiny", "--layout", "0:2,2:4", "--rtt-ms", "2,4", "--prompt-tokens", "8", "--new-tokens", "4", "--requests", "1"] },
    };

    [Theory]
    [MemberData(nameof(DefaultCommands))]
    public async Task Report_DefaultScenario_DrawsEveryChartOfflineWithoutConsoleErrors(string name, string[] command)
    {
        var folder = TempFolder();
        var html = Path.Combine(folder, $"{name}.html");
        var json = Path.Combine(folder, $"{name}.json");

        var result = Stamen.Tests.Cli.CliHarness.Run([.. command, "--report", html, "--json", json]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var charts = saved.RootElement.GetProperty("report").GetProperty("sections").EnumerateArray().Sum(s => s.GetProperty("charts").GetArrayLength());
        Assert.True(charts > 0, $"{name}: the report has no chart");
        await CheckInBrowser(html, charts);
    }

    /// <summary>Opens the page offline and checks every figure drew a sized SVG with marks, with no console error and no request; saves a screenshot.</summary>
    private async Task CheckInBrowser(string html, int charts)
    {
        await using var opened = await OfflinePage.Open(html);
        var figures = JsonSerializer.Deserialize<Figure[]>(await opened.Page.EvaluateAsync<string>(MeasureFigures), Json)!;
        var screenshot = Path.ChangeExtension(html, ".png");
        await opened.Page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");

        Assert.Equal(charts, figures.Length);
        Assert.All(figures, f =>
        {
            Assert.True(f.HasSvg, $"{f.Caption}: no svg");
            Assert.True(f.Width > 0 && f.Height > 0, $"{f.Caption}: svg is {f.Width} x {f.Height}");
            Assert.True(f.Marks > 0, $"{f.Caption}: no drawn mark");
        });
        Assert.Empty(opened.Errors);
        Assert.Empty(opened.Requests);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should hold a page of charts");
    }

    /// <summary>The checks above mean something only if a page that reaches out or logs an error is caught.</summary>
    [Fact]
    public async Task OfflinePage_PageThatFetchesAndLogsAnError_IsCaught()
    {
        var html = Path.Combine(TempFolder(), "reaches-out.html");
        await File.WriteAllTextAsync(html,
            "<!DOCTYPE html><html><body><img src=\"https://example.invalid/x.png\"><script>console.error('broken chart')</script></body></html>");

        await using var opened = await OfflinePage.Open(html);

        Assert.Contains("broken chart", opened.Errors);
        Assert.Contains(opened.Requests, url => url.StartsWith("https://example.invalid/", StringComparison.Ordinal));
    }
}
