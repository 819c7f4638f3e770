using System.Xml.Linq;
using Chat.AppHost.Hosting;

namespace Chat.AppHost.Orchestration;

/// <summary>Where a project of the repository is and where its build puts <c>&lt;Assembly&gt;.dll</c>.</summary>
internal static class ProjectOutput
{
    public const string DefaultTargetFramework = "net10.0";

    public static string ProjectFile(string repositoryRoot, ProjectResource project)
    {
        var path = Path.GetFullPath(Path.Combine(repositoryRoot, project.ProjectPath));
        if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(path) ? path : throw new FileNotFoundException($"Project '{project.Name}': {path} does not exist.", path);
        }

        var candidates = Directory.Exists(path) ? Directory.GetFiles(path, "*.csproj") : [];
        return candidates.Length == 1
            ? candidates[0]
            : throw new FileNotFoundException($"Project '{project.Name}': expected one .csproj in {path}, found {candidates.Length}.", path);
    }

    /// <summary>bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/&lt;AssemblyName&gt;.dll, honouring those properties when the project sets them.</summary>
    public static string AssemblyPath(string repositoryRoot, ProjectResource project, string configuration)
    {
        var projectFile = ProjectFile(repositoryRoot, project);
        var properties = XDocument.Load(projectFile).Descendants().Where(element => element.Parent?.Name.LocalName == "PropertyGroup").ToList();
        string? Property(string name) => properties.LastOrDefault(element => element.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;

        var assemblyName = Property("AssemblyName") ?? Path.GetFileNameWithoutExtension(projectFile);
        var targetFramework = Property("TargetFramework") ?? DefaultTargetFramework;
        return Path.Combine(Path.GetDirectoryName(projectFile)!, "bin", configuration, targetFramework, assemblyName + ".dll");
    }
}
