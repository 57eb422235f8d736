"""What ships: the wheel, the sdist, the launcher and the AppStream metainfo. (Not named
`packaging`, which would shadow the `packaging` library on the test path.)"""
