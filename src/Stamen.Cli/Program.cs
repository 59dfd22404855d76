Console.WriteLine("stamen");
