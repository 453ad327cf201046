using System.Net;
using System.Net.Sockets;

namespace OrleansML.Tests.Infrastructure;

public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A loopback port that was free a moment ago and that this test process has not handed out before: the OS may
    /// offer a just-closed port again, and two silos given the same one would fail to start.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
