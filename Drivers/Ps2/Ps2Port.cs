namespace Cosmos.Drivers.Ps2
{
    /// <summary>The controller's two device ports.</summary>
    public enum Ps2Port
    {
        /// <summary>The first port: the keyboard, IRQ 1.</summary>
        Keyboard,

        /// <summary>The second ("auxiliary") port: the mouse, IRQ 12.</summary>
        Aux,
    }
}
