using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Security;

/// <summary>
/// A hub with production's browser hardening as shipped (Secure cookies outside Development, a small sign-in
/// throttle) and a proxy in front (forwarded headers trusted), so each test can speak from its own client address.
/// It also carries one test-only route that throws an exception holding a secret, to prove the error page's silence.
/// </summary>
public sealed class HardenedHubFixture : SqliteHubFixture
{
    public const int LoginAttemptsPerMinute = 5;
    public const string ThrowingPath = "/_test/throw";
    public const string SecretInException = "sk_live_exception_secret_4f9a";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:SecureCookies"] = "", // empty = the shipped default (Testing is not Development: Secure)
        ["Security:LoginAttemptsPerMinute"] = LoginAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Security:TrustForwardedHeaders"] = "true",
    };

    protected override Action<IServiceCollection> Services => services => services.AddSingleton<IStartupFilter, ThrowingRouteFilter>();

    private sealed class ThrowingRouteFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(ThrowingPath, branch => branch.Run(_ => throw new InvalidOperationException("database password is " + SecretInException)));
        };
    }
}
