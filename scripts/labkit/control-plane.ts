// placeholder until the API stand-in lands
export async function startControlPlane(): Promise<void> {}
export async function stopControlPlane(): Promise<void> {}
