using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace IntegrationHub.Web.Infrastructure.Web;

public static class DashboardRegistration
{
    public static WebApplicationBuilder AddHubDashboard(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddControllersWithViews(options => options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddRazorOptions(options =>
            {
                // Feature folders: Features/<Controller>/<View>.cshtml, shared pieces in Features/Shared.
                options.ViewLocationFormats.Clear();
                options.ViewLocationFormats.Add("/Features/{1}/{0}" + RazorViewEngine.ViewExtension);
                options.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
            });
        return builder;
    }
}
